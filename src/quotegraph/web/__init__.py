"""The web app and JSON API: ``create_app(store_path)``; ``quotegraph serve`` runs it.

Server-rendered pages (Jinja2) over the read-only corpus store, readable without JavaScript;
static assets and charts (SVG rendered here) come from the package, nothing from elsewhere.
"""

from .app import create_app
from .state import Settings

__all__ = ["Settings", "create_app"]
