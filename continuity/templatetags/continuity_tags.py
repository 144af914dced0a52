"""``{% continuity_panel %}`` for the staff home: the backup headline for those who may act
on it (the data protection lead and the MHL), nothing for anyone else."""

from django import template
from django.utils import timezone

from continuity import selectors

register = template.Library()


@register.inclusion_tag("continuity/staff/_panel.html", takes_context=True)
def continuity_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not selectors.can_see_continuity(user):
        return {"show": False}
    return {"show": True, "status": selectors.continuity_status(timezone.now())}
