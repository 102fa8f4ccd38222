import pytest

from core.markdown import render_markdown
from tests.hostile import ALL_STRINGS, XSS_PAYLOADS, assert_inert


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_script_survives_markdown_rendering(payload):
    assert_inert(render_markdown(payload))
    assert_inert(render_markdown(f"Some **text** then {payload} and a [link](https://example.org)"))


@pytest.mark.parametrize("payload", ALL_STRINGS)
def test_rendering_any_hostile_string_does_not_crash(payload):
    assert isinstance(render_markdown(payload), str)


def test_links_are_kept_and_made_safe():
    html = render_markdown("See [the guide](https://example.org/guide).")
    assert 'href="https://example.org/guide"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_javascript_links_lose_their_target_but_keep_their_text():
    html = render_markdown("[click me](javascript:alert(1))")
    assert "click me" in html
    assert "javascript:" not in html


def test_headings_start_below_the_page_title():
    html = render_markdown("# Results\n\n## Details")
    assert "<h1>" not in html
    assert "<h2>Results</h2>" in html


def test_text_around_removed_markup_is_kept():
    assert "Hello" in render_markdown("<span onclick='x()'>Hello</span>")
