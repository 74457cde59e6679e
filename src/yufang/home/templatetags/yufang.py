from __future__ import annotations

import re
from typing import Any

from django import template

from yufang.lib.identifiers import mask_id_number

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return str(params.urlencode())


@register.filter
def masked_id(number: str) -> str:
    return mask_id_number(number or "")


_CODE_NAME = re.compile(r"^[a-z0-9_.\[\]]+$")


@register.filter
def error_label(field: str) -> str:
    """An error's field as the reader knows it: a label a view gave is shown; a field's code
    name (`credit_code`) is not, since the message itself names the field in their language."""
    field = str(field or "")
    return "" if _CODE_NAME.match(field) else field
