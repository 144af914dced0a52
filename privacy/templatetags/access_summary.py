from django import template

from privacy import summary

register = template.Library()


@register.simple_tag
def access_summary_groups(sections):
    """``{% access_summary_groups sections as groups %}``: see ``privacy.summary.grouped``."""
    return summary.grouped(sections)


@register.filter
def written_datetime(value):
    return summary.written_datetime(value)
