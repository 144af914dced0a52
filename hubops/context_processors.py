from .models import Hub


def hub(request):
    """The hub's profile for every template (its name in the header and footer)."""
    return {"hub": Hub.current()}
