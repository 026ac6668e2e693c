"""Draws fixtures/media/rios-peninsula.png, the demo's map of the Iberian peninsula and its great
rivers (the Tajo in red), from rough coordinates typed here. Drawn for QuestionsRT and given to
the public domain (CC0 1.0), like the rest of the demo data. Run: python scripts/draw_demo_map.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "media" / "rios-peninsula.png"
WIDTH, HEIGHT = 800, 640
WEST, EAST, SOUTH, NORTH = -10.0, 3.8, 35.6, 44.2

COAST = [
    (-9.3, 43.0), (-8.2, 43.7), (-7.0, 43.55), (-5.8, 43.6), (-3.8, 43.47), (-1.8, 43.38), (-1.5, 43.3),
    (0.7, 42.85), (3.17, 42.43), (3.2, 41.9), (2.1, 41.3), (0.9, 41.0), (0.2, 40.2), (-0.3, 39.5), (0.2, 38.75),
    (-0.5, 38.3), (-0.7, 37.6), (-1.9, 36.75), (-2.9, 36.75), (-4.4, 36.7), (-5.6, 36.0), (-6.3, 36.5),
    (-7.4, 37.2), (-8.0, 37.0), (-8.9, 37.0), (-8.8, 38.5), (-9.5, 38.8), (-9.0, 39.6), (-8.7, 40.6),
    (-8.9, 41.9), (-8.9, 42.5),
]
RIVERS = {
    "Miño": [(-7.6, 43.2), (-7.55, 42.3), (-8.2, 42.1), (-8.87, 41.87)],
    "Duero": [(-2.9, 41.95), (-3.7, 41.6), (-4.7, 41.5), (-5.75, 41.5), (-6.8, 41.0), (-7.5, 41.15), (-8.6, 41.15)],
    "Ebro": [(-4.1, 43.0), (-2.9, 42.6), (-1.6, 42.1), (-0.9, 41.65), (0.3, 41.2), (0.85, 40.72)],
    "Guadiana": [(-2.8, 39.0), (-3.9, 39.1), (-5.3, 38.95), (-6.97, 38.88), (-7.5, 38.2), (-7.4, 37.2)],
    "Guadalquivir": [(-2.9, 37.9), (-3.8, 37.95), (-4.8, 37.88), (-6.0, 37.4), (-6.35, 36.8)],
    "Tajo": [(-1.7, 40.4), (-3.0, 40.1), (-3.6, 40.0), (-4.0, 39.86), (-5.0, 39.9), (-6.4, 39.65), (-7.4, 39.45),
             (-8.4, 39.4), (-9.1, 38.7)],
}
MARKED = "Tajo"


def point(lon: float, lat: float) -> tuple[float, float]:
    return (lon - WEST) / (EAST - WEST) * WIDTH, (NORTH - lat) / (NORTH - SOUTH) * HEIGHT


def main() -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), (205, 228, 247))
    draw = ImageDraw.Draw(image)
    draw.polygon([point(*p) for p in COAST], fill=(242, 236, 214), outline=(120, 110, 90))
    for name, course in RIVERS.items():
        colour, width = ((200, 30, 30), 7) if name == MARKED else ((40, 100, 200), 4)
        draw.line([point(*p) for p in course], fill=colour, width=width, joint="curve")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    image.save(OUT, optimize=True)


if __name__ == "__main__":
    main()
