"""Lead score reasons in the reader's language: built-in rule labels, engagement and model
reasons are translated; a label an admin wrote (or unknown text) passes through."""

from __future__ import annotations

import pytest

from b2bgrowth.i18n import current_language
from b2bgrowth.leads.models import TOUCH_KINDS
from b2bgrowth.leads.prediction import CATEGORICAL, NUMERIC
from b2bgrowth.leads.reason_text import FEATURE_LABELS, RULE_LABELS, localise_lead_reason
from b2bgrowth.leads.scoring_config import DEFAULT_FIT_RULES


@pytest.fixture
def zh():
    token = current_language.set("zh_CN")
    yield
    current_language.reset(token)


def test_every_built_in_phrase_has_an_entry():
    assert {r["label"] for r in DEFAULT_FIT_RULES} <= set(RULE_LABELS)
    assert set(CATEGORICAL + NUMERIC) <= set(FEATURE_LABELS)


def test_reasons_read_in_chinese(zh):
    assert localise_lead_reason("500+ employees") == "500 名以上员工"
    assert localise_lead_reason("buying within 3 months") == "3 个月内采购"
    assert localise_lead_reason("demo touches (decayed)") == "演示 触达（衰减后）"  # kind "demo" → 演示
    assert localise_lead_reason("touches_30d = 4") == "30 天内触达次数 = 4"
    assert localise_lead_reason("industry = 制造业") == "行业 = 制造业"
    # Every built-in label and feature has a Chinese translation (not the English msgid back).
    for text in RULE_LABELS:
        assert localise_lead_reason(text) != text, text
    for kind in TOUCH_KINDS:
        assert "touches" not in localise_lead_reason(f"{kind} touches (decayed)"), kind
    for name in FEATURE_LABELS:
        assert not localise_lead_reason(f"{name} = 1").startswith(name), name


def test_unknown_text_and_english_pass_through(zh):
    assert localise_lead_reason("our own rule: 国企") == "our own rule: 国企"
    assert localise_lead_reason("unknown_feature = 3") == "unknown_feature = 3"
    assert localise_lead_reason(None) == ""
    token = current_language.set("en")
    try:
        assert localise_lead_reason("500+ employees") == "500+ employees"
        assert localise_lead_reason("touches_30d = 4") == "touches in 30 days = 4"
    finally:
        current_language.reset(token)


def test_lifecycle_errors_read_in_chinese(zh, ws):
    from b2bgrowth.leads.handoff import LifecycleError, transition
    from b2bgrowth.leads.reason_text import localise_lead_error

    # The real messages, raised by the lifecycle, are matched (not copies of them).
    with pytest.raises(LifecycleError) as missing:
        transition(ws, "no-such-lead", "sql", by="ops")
    assert localise_lead_error(str(missing.value)) == "线索 no-such-lead 不存在"
    with pytest.raises(LifecycleError) as no_reason:
        transition(ws, "no-such-lead", "disqualified", by="ops")
    assert localise_lead_error(str(no_reason.value)).startswith("将线索改为「") and "原因" in localise_lead_error(
        str(no_reason.value))
    zh_status = localise_lead_error("lead L1 is customer; it may move to nothing, not sql")
    assert zh_status.startswith("线索 L1 当前为「") and "「无」" in zh_status
    assert localise_lead_error("lead L1 is new, not mql or sql").count("或") == 1
    assert localise_lead_error("disk full") == "disk full"


def test_the_models_no_prediction_reason_reads_in_chinese(zh):
    text = ("too little history to learn conversion: 3 closed leads (1 converted, 2 not); "
            "need at least 200 closed leads with 20 of each outcome")
    assert localise_lead_reason(text) == ("历史数据不足，无法学习转化：已关闭线索 3 条（转化 1 条，未转化 2 条）；"
                                          "至少需要 200 条已关闭线索，且两种结果各至少 20 条")


def test_the_pattern_matches_what_the_model_says(zh, ws):
    from b2bgrowth.leads.prediction import current_model

    message = current_model(ws).message  # an empty store: no closed leads
    assert message.startswith("too little history") and localise_lead_reason(message).startswith("历史数据不足")
