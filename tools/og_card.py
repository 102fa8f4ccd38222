"""Draw static/img/og-card.png, the picture a shared link shows (Open Graph, 1200 x 630), and
static/favicon.ico, for browsers that ask for /favicon.ico rather than the SVG icon.

Link previews do not read SVG, so the logo mark of static/img/logo-mark.svg is drawn again here with Pillow.
Run once after changing the mark: .venv/bin/python tools/og_card.py
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
INK, BLUE, LIGHT, GOLD, PAPER = "#1d2433", "#0b5cab", "#8fc1ef", "#f2b705", "#f7f8fa"


def mark(size: int) -> Image.Image:
    scale = 4  # drawn large and shrunk, for smooth edges
    s = size * scale / 64
    image = Image.new("RGBA", (size * scale, size * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 64 * s, 64 * s), radius=14 * s, fill=BLUE)
    for start, end, colour in (((13, 13), (51, 51), LIGHT), ((13, 51), (51, 13), "#ffffff")):
        draw.line((start[0] * s, start[1] * s, end[0] * s, end[1] * s), fill=colour, width=round(9 * s))
        for x, y in (start, end):
            draw.ellipse(((x - 4.5) * s, (y - 4.5) * s, (x + 4.5) * s, (y + 4.5) * s), fill=colour)
    draw.ellipse((22 * s, 22 * s, 42 * s, 42 * s), fill=BLUE)
    draw.ellipse((23.5 * s, 23.5 * s, 40.5 * s, 40.5 * s), fill=GOLD)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    card = Image.new("RGB", (1200, 630), PAPER)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 590, 1200, 630), fill=BLUE)
    logo = mark(200)
    card.paste(logo, (100, 150), logo)
    draw.text((340, 170), "Crossroads", font=ImageFont.truetype(FONT, 96), fill=INK)
    lines = ["Where migration & integration", "practitioners meet"]
    for n, line in enumerate(lines):
        draw.text((344, 300 + n * 56), line, font=ImageFont.truetype(FONT_REGULAR, 44), fill="#3b4556")
    card.save(ROOT / "static" / "img" / "og-card.png", optimize=True)
    mark(48).save(ROOT / "static" / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
