"""The footer's pages with their first text (core/pages/*.md); staff edit them in the admin afterwards."""

from pathlib import Path

from django.db import migrations

PAGES = {
    "about": ("About Crossroads", "What Crossroads is, who runs it and what members do on it: find peers, share "
                                  "good practices of integration, discuss, message and meet."),
    "privacy": ("Privacy", "What Crossroads records about its members, who sees it, how long it is kept and how to "
                           "correct or delete it."),
    "terms": ("Terms of use", "The rules for accounts, what members publish and how they treat each other on "
                              "Crossroads."),
    "accessibility": ("Accessibility statement", "How Crossroads aims to be usable by everyone, what we check, "
                                                 "known limits, and how to tell us about a problem."),
    "contact": ("Contact", "How to reach the clearinghouse team and the moderators of Crossroads."),
}


def create_pages(apps, schema_editor):
    from core.markdown import render_markdown

    Page = apps.get_model("core", "Page")
    folder = Path(__file__).resolve().parent.parent / "pages"
    for slug, (title, summary) in PAGES.items():
        body = (folder / f"{slug}.md").read_text(encoding="utf-8")
        Page.objects.get_or_create(slug=slug, defaults={
            "title": title, "summary": summary, "body": body, "body_html": render_markdown(body)})


class Migration(migrations.Migration):
    dependencies = [("core", "0004_page")]
    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
