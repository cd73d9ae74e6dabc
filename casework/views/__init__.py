"""Blueprints: load through access, validate a form, call one service, answer."""
