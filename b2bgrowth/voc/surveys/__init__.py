"""NPS surveys (issue 4 item 9): create a survey, choose recipients, personal response links,
reminders, response rates, NPS by tier / role / stage / period and searchable verbatims.

service.py (surveys, recipients, answers, reminders) · analysis.py (rates, breakdowns,
verbatims) · reports.py (registry reports) · cli.py (`b2bgrowth survey …`) · public.py (the
anonymous /s/<token> page) · api.py (JSON API). Pages: b2bgrowth/voc/web_surveys.py.
The product sends nothing over the network: CSMs share the links by WeChat or e-mail.
"""
