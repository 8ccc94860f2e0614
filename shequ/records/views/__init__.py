"""Record pages: thin views over the selectors and services."""
