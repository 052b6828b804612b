"""Knowledge sharing: resources and their review, search, questions, stated expertise."""
