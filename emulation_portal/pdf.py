"""Render a template to PDF with WeasyPrint, in the administrative document format.

Fonts ship in ``static/fonts`` (Liberation Serif: metric-compatible with Times New Roman,
full Vietnamese coverage, SIL OFL). Static files are read from disk and nothing is fetched
over the network, so rendering works on a closed network.
"""

import mimetypes
import unicodedata
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STATIC_DIRS = [Path(p).resolve() for p in settings.STATICFILES_DIRS]


def _local_path(url: str) -> Path:
    """Map a resource URL to a file under the static folders, or raise ValueError."""
    path: Path | None = None
    if url.startswith("file://"):
        raw = unquote(url[len("file://") :].split("?")[0])
        # "/static/x" in a template resolves against the file: base URL as file:///static/x
        if raw.startswith(settings.STATIC_URL):
            url = raw
        else:
            path = Path(raw).resolve()
    if path is None and url.startswith(settings.STATIC_URL):
        relative = url[len(settings.STATIC_URL) :]
        found = finders.find(relative) if ".." not in relative.split("/") else None
        path = Path(found).resolve() if found else None
    if path is None or not any(path.is_relative_to(d) for d in STATIC_DIRS):
        raise ValueError(f"refused to fetch {url!r} while rendering a PDF")
    return path


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        """Serves static files from disk and refuses every other URL."""

        def fetch(self, url, headers=None):
            path = _local_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
            )

    return LocalOnlyFetcher()


def render_html_to_pdf(html: str, on_laid_out=None) -> bytes:
    """Turn HTML into PDF bytes. Text is normalised to NFC first: decomposed Vietnamese
    (a base letter plus combining marks, as some Windows tools produce) would otherwise
    render with misplaced accents and extract differently. ``on_laid_out(pages)`` is
    called between the layout and the writing, the two long steps, for a job's progress."""
    from weasyprint import HTML

    html = unicodedata.normalize("NFC", html)
    base_url = STATIC_DIRS[0].as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher()).render()
    if on_laid_out is not None:
        on_laid_out(len(document.pages))
    return document.write_pdf()


def render_pdf(template_name: str, context: dict | None = None, on_laid_out=None) -> bytes:
    """Render ``template_name`` (which should extend ``pdf/base.html``) to PDF bytes."""
    context = dict(context or {})
    context.setdefault("issuing_body", settings.PORTAL_ISSUING_BODY)
    context.setdefault("place", settings.PORTAL_PLACE)
    return render_html_to_pdf(render_to_string(template_name, context), on_laid_out)
