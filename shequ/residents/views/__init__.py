"""Views of the registry: thin — parse, call a selector or a service, render."""
