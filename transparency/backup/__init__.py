"""`transparency backup DIR` and `transparency restore DIR`: copies that restore without forking the log."""
