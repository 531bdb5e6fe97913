"""What an operator and a load balancer ask a running process: is it alive, is it ready, what
has it done (issue 14, point 6)."""
