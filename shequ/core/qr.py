"""QR codes as inline SVG: no script, no image request, printable on a sheet of many."""

from __future__ import annotations

import io


def qr_svg(data: str, *, box_size: int = 8) -> str:
    """``data`` as an inline ``<svg>`` (without the XML declaration, to sit in a page). The library names every
    path ``id="qr-path"``; that id is dropped, so a sheet of many codes does not repeat it. qrcode (and lxml) are
    loaded by the processes that draw one."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode().split("?>", 1)[-1].replace(' id="qr-path"', "")
