"""Staff landing pages (工作台): each role's tools, and what is due next for them."""
