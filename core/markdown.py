"""Markdown → safe HTML, rendered once when text is saved; pages show the stored HTML.

The allowlist, and why each entry is there:
- block structure a practitioner writes: paragraphs, headings h2–h6 (h1 is the page's own
  title), lists, block quotes (forum quoting), code, horizontal rules, tables;
- inline emphasis: strong, em, code, del, sub/sup, br;
- links (a) with href and title only; the only protocols are http, https and mailto, so
  javascript:, data: and vbscript: URLs are dropped; every link gets rel="nofollow noopener
  noreferrer" so a posted link passes no ranking and cannot reach window.opener;
- no images (they could track readers and are not needed for the platform's text), no raw
  HTML elements beyond the list, no style or class attributes, no event handlers.
Anything else is removed with its markup, keeping the text, so nothing a user types is lost.
"""

import markdown as md
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "del", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"

_EXTENSIONS = ["extra", "sane_lists", "nl2br"]


def sanitize_html(html: str) -> str:
    """Clean HTML with the allowlist above."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Render a member's Markdown to HTML that is safe to show to anyone."""
    if not text:
        return ""
    # Headings start at h2: the page title is the only h1.
    html = md.markdown(text, extensions=_EXTENSIONS, output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return sanitize_html(html)
