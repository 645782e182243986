"""The list macros (b2bgrowth/web/templates/_macros/lists.html) rendered through the app's Jinja environment:
the filter fields and the pager the dashboard, NPS and list pages share."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from b2bgrowth import i18n
from b2bgrowth.web.templating import environment


def render(source: str, lang: str = "en", **context) -> str:
    token = i18n.current_language.set(lang)
    try:
        template = environment.from_string('{% from "_macros/lists.html" import select_filter, date_field, date_range, '
                                           'filter_submit, pager %}' + source)
        return re.sub(r"\s+", " ", template.render(**context)).strip()
    finally:
        i18n.current_language.reset(token)


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="btn btn-sm" href="([^"]*)"[^>]*>([^<]*)</a>', html)


def test_pager_with_a_url_prefix_and_htmx_target():
    html = render("{{ pager(2, 3, '/accounts?q=a%20b&page=', summary='51 accounts', target='#r', push_url=true) }}")
    assert html.startswith('<div class="pagination"> <span>51 accounts</span>')
    # page 2 of 3 → Previous to 1, Next to 3; & is escaped in the attribute (the browser reads &page=)
    assert links(html) == [("/accounts?q=a%20b&amp;page=1", "Previous"), ("/accounts?q=a%20b&amp;page=3", "Next")]
    assert html.count('hx-get="/accounts?q=a%20b&amp;page=') == 2 and html.count('hx-target="#r" hx-push-url="true"') == 2


def test_pager_with_a_callable_counter_and_arrows_in_chinese():
    html = render("{{ pager(1, 4, page_url, target='#nps-body', counter=true, arrows=true) }}", lang="zh_CN",
                  page_url=lambda n: f"/nps?from=2024-01-01&page={n}")
    # first page: no Previous; the counter, then Next (translated) to page 2; no push-url without push_url
    assert links(html) == [("/nps?from=2024-01-01&amp;page=2", "下一页 →")]
    assert "<span>1 / 4</span>" in html and "hx-push-url" not in html and "<span>" + "</span>" not in html


def test_a_single_page_shows_the_summary_and_no_links():
    html = render("{{ pager(1, 1, '/x?page=', summary='3 accounts') }}")
    assert html == '<div class="pagination"> <span>3 accounts</span></div>'


@given(st.integers(1, 40).flatmap(lambda pages: st.tuples(st.integers(1, pages), st.just(pages))))
def test_pager_links_go_one_page_back_and_one_forward(page_and_pages):
    page, pages = page_and_pages
    html = render("{{ pager(page, pages, '/l?page=', counter=true) }}", page=page, pages=pages)
    expected = ([(f"/l?page={page - 1}", "Previous")] if page > 1 else []) + \
               ([(f"/l?page={page + 1}", "Next")] if page < pages else [])
    assert links(html) == expected
    assert (f"<span>{page} / {pages}</span>" in html) == (pages > 1)


def test_select_filter_from_a_mapping_translated_with_the_current_value_selected():
    html = render("{{ select_filter('status', statuses, 'running', all=_('All statuses'), label=_('Status'), "
                  "translate=true) }}", lang="zh_CN", statuses={"draft": "Draft", "running": "Running"})
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    assert html.startswith('<select name="status" aria-label="状态">')
    assert [(v, bool(s)) for v, s, _ in options] == [("", False), ("draft", False), ("running", True)]
    assert options[0][2] == "全部状态"


def test_select_filter_as_a_field_with_labels_pairs_and_objects():
    labels = render("{{ select_filter('segment', ['tier', 'region'], 'region', all='None', label='Segment', field=true, "
                    "labels={'tier': 'Tier'}) }}")
    assert labels.startswith('<label class="field">Segment <select name="segment">')
    assert '<option value="tier">Tier</option>' in labels and '<option value="region" selected>region</option>' in labels
    pairs = render("{{ select_filter('mine', [('1', 'Mine'), ('0', 'All')], '0') }}")
    assert '<option value="1">Mine</option><option value="0" selected>All</option>' in pairs.replace("> <", "><")
    objects = render("{{ select_filter('survey', surveys, 'S2', value_key='survey_id', label_key='name', autosubmit=true) }}",
                     surveys=[{"survey_id": "S1", "name": "Q1 NPS"}, {"survey_id": "S2", "name": "Q2 NPS"}])
    assert 'onchange="this.form.submit()"' in objects and '<option value="S2" selected>Q2 NPS</option>' in objects


def test_date_fields_and_the_submit_row():
    html = render("{{ date_range('2024-01-01', '2024-03-31', names=('from', 'to')) }}")
    assert html == ('<label class="field">From<input type="date" name="from" value="2024-01-01"></label> '
                    '<label class="field">To<input type="date" name="to" value="2024-03-31"></label>')
    assert render("{{ date_field('as_of', '2024-02-01', 'As of', inline=true) }}") == \
        '<label class="small">As of <input type="date" name="as_of" value="2024-02-01"></label>'
    submit = render("{{ filter_submit(loading='nps-loading', reset='/leads') }}", lang="zh_CN")
    assert submit == ('<a class="small" href="/leads">清除</a> <button type="submit" class="btn btn-primary">应用</button> '
                      '<span id="nps-loading" class="htmx-indicator muted small">加载中…</span>')
    assert render("{{ filter_submit(_('Search'), noscript=true) }}") == \
        '<noscript><button type="submit" class="btn btn-sm">Search</button></noscript>'
