"""Worker-side pages of cases: thin views over the selectors and services."""
