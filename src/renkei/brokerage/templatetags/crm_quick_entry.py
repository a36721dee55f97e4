"""{% crm_cluster_for record as crm_cluster %}: the cluster where the current user may log CRM
records about the record (an organisation, person, need or seed), or None: no quick-entry button."""

from __future__ import annotations

from django import template

from renkei.brokerage.quick_entry import quick_entry_cluster

register = template.Library()


@register.simple_tag(takes_context=True)
def crm_cluster_for(context, record):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return quick_entry_cluster(user, record)
