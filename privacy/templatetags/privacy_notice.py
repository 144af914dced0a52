"""``{% notice_acceptance user as acceptance %}``: the version of the privacy notice a person
accepted and when, for their profile (the account pages live in hubops, which does not import
privacy; a template tag keeps that direction)."""

from django import template

from privacy import selectors

register = template.Library()


@register.simple_tag
def notice_acceptance(user):
    return selectors.notice_acceptance_latest(user)
