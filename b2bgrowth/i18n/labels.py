"""Message ids that code builds at run time (role names, enum values shown in pages).

`N_()` only marks a string for extraction; the page translates it with `_(value)` when shown.
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message


ROLE_LABELS = [N_("admin"), N_("ops"), N_("sales"), N_("csm"), N_("viewer")]
ACCOUNT_TYPE_LABELS = [N_("direct"), N_("isv"), N_("channel")]
CONTACT_ROLE_LABELS = [N_("decision_maker"), N_("manager"), N_("user"), N_("purchaser"), N_("influencer")]
LIFECYCLE_LABELS = [N_("prospect"), N_("onboarding"), N_("adopting"), N_("mature"), N_("at_risk"), N_("churned")]
TIER_LABELS = [N_("partner")]  # KA / CA / SMB are shown as they are
