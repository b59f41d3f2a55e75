"""`make audit`: Lighthouse on the pages a person sees most (see __main__.py)."""
