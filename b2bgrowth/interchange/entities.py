"""The interchange format (SPEC §5) as data: one declaration per entity.

Each entity names its model, its key, and its file columns. A column's kind (text, count,
money, date, datetime …) and its maximum length come from the model column unless declared,
so the format cannot drift from the schema. Chinese aliases are what Chinese Excel users
write as headers; enum values are matched case-insensitively and may also be given in
Chinese (see ENUM_ALIASES).

docs/interchange.md is the human-readable version of this file; keep them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, DateTime, Integer, Numeric, String

from b2bgrowth.accounts.models import ACCOUNT_TYPES, CONTACT_ROLES, TIERS, Account, Contact
from b2bgrowth.channels.models import (
    CAMPAIGN_KINDS,
    CAMPAIGN_MODES,
    CHANNEL_KINDS,
    Campaign,
    Channel,
    ChannelCost,
)
from b2bgrowth.community.models import MESSAGE_KINDS, CommunityGroup, CommunityMember, CommunityMessage
from b2bgrowth.leads import bant
from b2bgrowth.leads.models import LEAD_STATUSES, TOUCH_KINDS, Lead, Touch
from b2bgrowth.pipeline.models import OPPORTUNITY_STATUSES, Opportunity
from b2bgrowth.requirements.models import REQUIREMENT_SOURCES, REQUIREMENT_STATUSES, Requirement
from b2bgrowth.revenue.models import Subscription
from b2bgrowth.voc.models import NpsResponse

# Kinds a column can have; each has a parser in values.py.
KINDS = ("text", "count", "money", "date", "datetime", "nps_score", "enum")

# Chinese (and a few English) spellings of enum values, by canonical value.
ENUM_ALIASES: dict[str, tuple[str, ...]] = {
    "direct": ("直销", "直客"),
    "channel": ("渠道", "代理"),
    "isv": ("独立软件开发商",),
    "decision_maker": ("决策人", "决策者"),
    "manager": ("管理者", "经理"),
    "user": ("使用者", "用户"),
    "purchaser": ("采购", "采购人"),
    "influencer": ("影响者", "影响人"),
    "call": ("电话",),
    "email": ("邮件",),
    "meeting": ("会议",),
    "event": ("活动",),
    "download": ("下载",),
    "webinar": ("网络研讨会",),
    "demo": ("演示",),
    "visit": ("拜访",),
    "open": ("进行中",),
    "won": ("赢单",),
    "lost": ("输单",),
    "checkin": ("打卡",),
    "post": ("发帖",),
    "question": ("提问",),
    "answer": ("回答",),
    "share": ("分享",),
    "order": ("下单",),
}


@dataclass(frozen=True)
class Column:
    name: str  # header in the file (canonical)
    aliases: tuple[str, ...] = ()
    required: bool = False
    enum: tuple[str, ...] | None = None
    references: str | None = None  # entity whose id this column must name
    default: Any = None  # used when the cell is empty
    attr: str | None = None  # model attribute when it differs from the file name
    kind: str | None = None  # derived from the model column unless given
    max_length: int | None = None  # derived from the model column
    # An extra check on the parsed value (raises ValueError with the reason), for columns
    # whose text has a grammar of its own — e.g. BANT, which another capability defines.
    check: Any = None
    check_note: str = ""  # what `check` accepts, for docs/interchange.md

    @property
    def target(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True)
class EntitySpec:
    name: str
    model: type
    key: tuple[str, ...]  # file columns forming the id
    columns: tuple[Column, ...]
    label: str = ""  # the column shown as "id" in error lines (default: first key column)
    # (end column, start column, end may equal start): end before start is an error.
    ordered: tuple[str, str, bool] | None = None
    by_name: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def column(self, name: str) -> Column:
        return self.by_name[name]

    @property
    def label_column(self) -> str:
        return self.label or self.key[0]


def _resolve(spec: EntitySpec) -> EntitySpec:
    """Fill each column's kind and length from the model; index columns by name."""
    table = spec.model.__table__
    resolved = []
    for col in spec.columns:
        sql = table.c[col.target].type
        kind = col.kind
        if kind is None:
            if col.enum is not None:
                kind = "enum"
            elif isinstance(sql, DateTime):
                kind = "datetime"
            elif isinstance(sql, Date):
                kind = "date"
            elif isinstance(sql, Numeric):
                kind = "money"
            elif isinstance(sql, Integer):
                kind = "count"
            else:
                kind = "text"
        assert kind in KINDS, (spec.name, col.name, kind)
        length = col.max_length or (sql.length if isinstance(sql, String) else None)
        resolved.append(Column(**{**col.__dict__, "kind": kind, "max_length": length}))
    by_name = {c.name: c for c in resolved}
    return EntitySpec(**{**spec.__dict__, "columns": tuple(resolved), "by_name": by_name})


C = Column
CURRENCY = C("currency", ("币种", "货币"), default="CNY")

_SPECS = [
    EntitySpec(
        "accounts", Account, ("account_id",),
        (
            C("account_id", ("客户ID", "客户编号"), required=True),
            C("name", ("客户名称", "公司名称"), required=True),
            C("industry", ("行业",)),
            C("employees", ("员工数", "员工人数")),
            C("annual_revenue", ("年营收", "年收入")),
            CURRENCY,
            C("region", ("区域", "地区")),
            C("type", ("类型", "客户类型"), enum=ACCOUNT_TYPES, default="direct"),
            C("tier", ("等级", "客户等级"), enum=TIERS, attr="tier_override"),
            C("parent_account_id", ("上级客户ID", "母公司ID"), references="accounts"),
            C("owner", ("负责人", "客户经理")),
            C("created_at", ("创建时间",)),
        ),
    ),
    EntitySpec(
        "contacts", Contact, ("contact_id",),
        (
            C("contact_id", ("联系人ID",), required=True),
            C("account_id", ("客户ID",), references="accounts"),
            C("name", ("姓名", "联系人")),
            C("title", ("职位",)),
            C("role", ("角色",), enum=CONTACT_ROLES),
            C("email", ("邮箱", "电子邮件")),
            C("phone", ("手机", "电话")),
            C("wechat", ("微信",)),
            C("created_at", ("创建时间",)),
        ),
    ),
    EntitySpec(
        "leads", Lead, ("lead_id",),
        (
            C("lead_id", ("线索ID",), required=True),
            C("created_at", ("创建时间",)),
            C("name", ("姓名",)),
            C("company", ("公司", "公司名称")),
            C("email", ("邮箱",)),
            C("phone", ("手机", "电话")),
            C("title", ("职位",)),
            C("channel", ("渠道", "来源渠道")),
            C("campaign_id", ("活动ID",)),
            C("industry", ("行业",)),
            C("employees", ("员工数",)),
            C("region", ("区域",)),
            C("budget", ("预算",), check=bant.parse_budget,
              check_note="BANT: yes / no / unknown, or an amount (50000, 5万)"),
            C("authority", ("决策权",), check=bant.parse_authority, check_note="BANT: yes / no (是/否)"),
            C("need", ("需求",), check=bant.parse_need, check_note="BANT: high / medium / low, or text"),
            C("timeline", ("时间表", "采购时间"), check=bant.parse_timeline,
              check_note="BANT: a date, a number of months, or <3m / 3-6m / >6m / unknown"),
            C("status", ("状态",), enum=LEAD_STATUSES, default="new"),
            # Why the lead was disqualified or rejected (optional; the app requires one).
            C("disqualification_reason", ("reason", "原因", "不合格原因", "无效原因")),
            # The account the lead belongs to (an existing company: upsell, another department).
            C("account_id", ("客户ID",), references="accounts"),
        ),
    ),
    EntitySpec(
        "touches", Touch, ("touch_id",),
        (
            C("touch_id", ("触达ID", "跟进ID"), required=True),
            C("at", ("时间", "触达时间"), required=True),
            C("kind", ("方式", "类型"), required=True, enum=TOUCH_KINDS),
            C("lead_id", ("线索ID",)),
            C("contact_id", ("联系人ID",)),
            C("account_id", ("客户ID",)),
            C("campaign_id", ("活动ID",)),
            C("outcome", ("结果",)),
            C("owner", ("负责人",)),
        ),
    ),
    EntitySpec(
        "opportunities", Opportunity, ("opportunity_id",),
        (
            C("opportunity_id", ("商机ID",), required=True),
            C("account_id", ("客户ID",), references="accounts"),
            C("lead_id", ("线索ID",)),
            C("name", ("商机名称",)),
            C("stage", ("阶段",)),
            C("amount", ("金额",)),
            CURRENCY,
            C("created_at", ("创建时间",)),
            C("close_date", ("预计成交日期", "成交日期")),
            C("status", ("状态",), enum=OPPORTUNITY_STATUSES, default="open"),
            C("owner", ("负责人",)),
        ),
    ),
    EntitySpec(
        "subscriptions", Subscription, ("subscription_id", "start_date"),
        (
            C("subscription_id", ("订阅ID",), required=True),
            C("account_id", ("客户ID",), required=True, references="accounts"),
            C("product", ("产品",)),
            C("plan", ("套餐",)),
            C("mrr", ("月费", "MRR"), required=True),
            CURRENCY,
            C("seats", ("席位数",)),
            C("start_date", ("开始日期",), required=True),
            C("end_date", ("结束日期",)),
        ),
        ordered=("end_date", "start_date", False),
    ),
    EntitySpec(
        "nps_responses", NpsResponse, ("response_id",),
        (
            C("response_id", ("答卷ID", "回复ID"), required=True),
            C("at", ("时间", "提交时间"), required=True),
            C("account_id", ("客户ID",), references="accounts"),
            C("contact_id", ("联系人ID",)),
            C("score", ("评分", "分数"), required=True, kind="nps_score"),
            C("comment", ("评论", "意见")),
        ),
    ),
    EntitySpec(
        "channels", Channel, ("channel_id",),
        (
            C("channel_id", ("渠道ID",), required=True),
            C("name", ("渠道名称", "名称"), required=True),
            C("kind", ("类型", "渠道类型"), enum=CHANNEL_KINDS, default="other"),
        ),
    ),
    EntitySpec(
        "channel_costs", ChannelCost, ("channel_id", "date"),
        (
            C("date", ("日期",), required=True),
            C("channel_id", ("渠道ID",), required=True, references="channels"),
            C("cost", ("费用", "成本"), required=True),
            CURRENCY,
        ),
    ),
    EntitySpec(
        "campaigns", Campaign, ("campaign_id",),
        (
            C("campaign_id", ("活动ID",), required=True),
            C("name", ("活动名称", "名称"), required=True),
            C("kind", ("活动类型", "类型"), enum=CAMPAIGN_KINDS),
            C("mode", ("参与方式", "形式"), enum=CAMPAIGN_MODES),
            C("channel_id", ("渠道ID",), references="channels"),
            C("start_date", ("开始日期",)),
            C("end_date", ("结束日期",)),
            C("budget", ("预算",)),
            C("cost", ("费用", "成本")),
            CURRENCY,
        ),
        ordered=("end_date", "start_date", True),
    ),
    EntitySpec(
        "community_groups", CommunityGroup, ("group_id",),
        (
            C("group_id", ("群ID", "社群ID"), required=True),
            C("name", ("群名称", "社群名称", "名称"), required=True),
            C("positioning", ("定位",)),
            C("created_at", ("创建时间",)),
            C("target_size", ("目标人数",)),
        ),
    ),
    EntitySpec(
        "community_members", CommunityMember, ("group_id", "member_id"),
        (
            C("group_id", ("群ID", "社群ID"), required=True, references="community_groups"),
            C("member_id", ("成员ID",), required=True),
            C("contact_id", ("联系人ID",)),
            C("account_id", ("客户ID",)),
            C("joined_at", ("入群时间",)),
            C("left_at", ("退群时间",)),
            C("identity", ("身份",)),
            C("source", ("来源",)),
            C("region", ("区域",)),
        ),
        label="member_id",
        ordered=("left_at", "joined_at", True),
    ),
    EntitySpec(
        "community_messages", CommunityMessage, ("message_id",),
        (
            C("message_id", ("消息ID",), required=True),
            C("group_id", ("群ID", "社群ID"), required=True, references="community_groups"),
            C("member_id", ("成员ID",)),
            C("at", ("时间", "发送时间"), required=True),
            C("kind", ("类型", "消息类型"), required=True, enum=MESSAGE_KINDS),
        ),
    ),
    EntitySpec(
        "requirements", Requirement, ("requirement_id",),
        (
            C("requirement_id", ("需求ID",), required=True),
            C("at", ("提出时间", "时间")),
            C("title", ("标题", "需求标题"), required=True),
            C("description", ("描述", "需求描述")),
            C("source", ("来源",), enum=REQUIREMENT_SOURCES),
            C("account_id", ("客户ID",)),
            C("submitted_by", ("提交人",)),
            C("status", ("状态",), enum=REQUIREMENT_STATUSES, default="new"),
        ),
    ),
]

ENTITIES: dict[str, EntitySpec] = {s.name: _resolve(s) for s in _SPECS}


def get_entity(name: str) -> EntitySpec:
    try:
        return ENTITIES[name]
    except KeyError:
        known = ", ".join([*ENTITIES, "events"])
        raise ValueError(f"unknown entity {name!r}; known: {known}") from None
