"""Read-only queries behind the screens: the case list, the case page, my work."""
