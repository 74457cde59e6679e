"""Names of the outputs the platform counts, shared by the pages, the API and exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

OUTPUT_LABELS = {
    "person_times": _("Person-times trained"),
    "enterprises_covered": _("Enterprises covered"),
    "hazards_closed": _("Hazards closed"),
    "enterprises_assessed": _("Enterprises assessed"),
}
