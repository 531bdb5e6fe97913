"""Feedback and complaints (意见建议 / 咨询 / 投诉 / 举报) with a reply tracker nobody can ignore."""
