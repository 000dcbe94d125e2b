"""French typography for the site's texts: hours as the French write them."""


def french_hour(value):
    """14:00 → "14 h", 14:30 → "14 h 30", with non-breaking spaces (French typography)."""
    if not value:
        return ""
    if value.minute:
        return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
    return f"{value.hour}\u00a0h"
