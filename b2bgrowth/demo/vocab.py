"""Words the demo company is made of: names, industries, regions, products, comments.

Plain data, kept apart from the simulation so the generator reads as behaviour only.
"""

from __future__ import annotations

CITIES = [  # (city, region)
    ("杭州", "华东"), ("上海", "华东"), ("南京", "华东"), ("苏州", "华东"), ("宁波", "华东"), ("合肥", "华东"),
    ("北京", "华北"), ("天津", "华北"), ("石家庄", "华北"), ("济南", "华北"), ("青岛", "华北"),
    ("深圳", "华南"), ("广州", "华南"), ("东莞", "华南"), ("厦门", "华南"), ("福州", "华南"),
    ("成都", "西南"), ("重庆", "西南"), ("昆明", "西南"), ("贵阳", "西南"),
    ("武汉", "华中"), ("长沙", "华中"), ("郑州", "华中"),
    ("西安", "西北"), ("兰州", "西北"), ("沈阳", "东北"), ("大连", "东北"), ("哈尔滨", "东北"),
]
CITY_WEIGHTS = [9, 10, 5, 5, 3, 3, 10, 3, 1, 2, 2, 9, 7, 3, 2, 2, 5, 4, 1, 1, 4, 3, 2, 3, 1, 2, 1, 1]

BRAND_CHARS = list("云启数联智汇创新网达信通华锐科讯博远鼎盛星辰飞腾易佳美嘉合众泰和宏图天弘瑞安捷迅明道中科睿思正源")
CN_WORDS = ["科技", "信息技术", "网络科技", "软件", "数据科技", "智能科技", "电子商务", "供应链管理", "医疗科技", "教育科技"]
CN_SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"]

EN_BRANDS = [
    "Acme", "Northwind", "Bluepeak", "Brightline", "Cedar", "Everstone", "Helix", "Ironwood", "Lumen", "Nimbus",
    "Orbit", "Pioneer", "Quantum", "Redwood", "Silverline", "Summit", "Vertex", "Willow", "Zenith", "Crescent",
]
EN_WORDS = ["Analytics", "Systems", "Logistics", "Retail", "Health", "Software", "Digital", "Manufacturing", "Labs", "Trading"]
EN_SUFFIXES = ["Ltd.", "Inc.", "Pte. Ltd.", "GmbH", "LLC"]
OVERSEAS_CITIES = ["Singapore", "London", "Berlin", "San Francisco", "Sydney", "Tokyo", "Kuala Lumpur"]

INDUSTRIES = ["制造业", "零售电商", "金融", "教育", "医疗健康", "互联网", "物流", "房地产", "能源", "专业服务", "政府与公共事业"]
INDUSTRY_WEIGHTS = [18, 16, 9, 8, 8, 14, 8, 5, 4, 7, 3]

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉宇浩然欣怡子轩梓涵思雨晨阳嘉一诺博文雪")
EN_FIRST = ["Emily", "David", "Sarah", "Michael", "Olivia", "James", "Sophia", "Daniel", "Grace", "Lucas", "Chloe", "Ethan"]
EN_LAST = ["Chen", "Smith", "Tan", "Johnson", "Lee", "Brown", "Wong", "Miller", "Lim", "Garcia", "Ng", "Taylor"]

# Account owners: sales for prospects and new business, CSMs once live (one `owner` column).
OWNERS = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴敏", "孙浩", "Emily Chen", "David Li"]

ROLE_TITLES = {
    "decision_maker": ["总经理", "CEO", "CTO", "副总裁", "CIO"],
    "manager": ["IT经理", "运营总监", "数据部负责人", "市场总监", "销售总监"],
    "user": ["数据分析师", "运营专员", "产品经理", "工程师", "市场专员"],
    "purchaser": ["采购经理", "采购专员", "财务经理"],
    "influencer": ["架构师", "技术顾问", "业务骨干"],
}
ROLES = list(ROLE_TITLES)
ROLE_WEIGHTS = [0.18, 0.27, 0.35, 0.1, 0.1]

# (product, plan by tier, list price per seat per month in CNY)
CORE = "核心平台"
ANALYTICS = "Analytics"
CONNECTOR = "数据连接器"
PLANS = {"SMB": "基础版", "CA": "专业版", "KA": "企业版"}
SEAT_PRICE = {CORE: {"SMB": 99.0, "CA": 159.0, "KA": 199.0}, ANALYTICS: {"SMB": 49.0, "CA": 69.0, "KA": 89.0}}
CONNECTOR_FLAT_PRICE = {"SMB": 800.0, "CA": 2000.0, "KA": 5000.0}  # flat monthly, not per seat
TRIAL_PLAN = "试用"
USD_PER_CNY = 1 / 7.1
EXCHANGE_RATES = {"USD": 7.1, "EUR": 7.8}

# (event, properties JSON, weight, needs connector)
USAGE_EVENTS = [
    ("login", "{}", 30, False),
    ("view_dashboard", '{"dashboard": "经营总览"}', 14, False),
    ("view_dashboard", '{"dashboard": "sales_funnel"}', 8, False),
    ("run_report", '{"report": "revenue", "product": "Analytics"}', 10, False),
    ("run_report", '{"report": "retention", "product": "Analytics"}', 6, False),
    ("create_project", '{"template": "blank"}', 4, False),
    ("export_data", '{"format": "xlsx"}', 6, False),
    ("share_report", '{"to": "wechat"}', 3, False),
    ("invite_user", "{}", 1, False),
    ("api_call", '{"endpoint": "/v1/query"}', 8, False),
    ("sync_connector", '{"connector": "mysql"}', 5, True),
    ("sync_connector", '{"connector": "salesforce"}', 3, True),
    ("page_view", '{"channel": "SEO", "page": "/docs", "session": "organic"}', 2, False),
    ("page_view", '{"channel": "SEM", "page": "/pricing", "session": "paid"}', 2, False),
]

NPS_COMMENTS = {
    "promoter": {
        "zh": ["报表很直观，老板每周都看", "客服响应很快，问题当天解决", "数据连接器帮我们省了很多人力", "上手快，团队都在用",
               "续费没犹豫，性价比高", "CSM很专业，定期回访"],
        "en": ["Dashboards are clear and the team loves them", "Support is fast and helpful", "Great value for money",
               "Onboarding was smooth"],
    },
    "passive": {
        "zh": ["功能够用，但是报表导出有点慢", "整体还行，希望多一些行业模板", "价格偏高", "移动端体验一般"],
        "en": ["Does the job, exports are a bit slow", "Good overall, pricing is high", "Would like more templates"],
    },
    "detractor": {
        "zh": ["系统经常卡顿，影响业务", "实施周期太长，一直没用起来", "客服响应慢，问题拖了两周", "价格太贵，考虑换其他产品",
               "和我们的ERP对接不上", "功能太复杂，员工不愿意用"],
        "en": ["Too slow and unstable", "Implementation never finished", "Support takes weeks to answer",
               "Too expensive for what we use"],
    },
}

CHANNELS = [  # (channel_id, name, kind, typical daily cost CNY at size S)
    ("sem", "SEM", "sem", 3000.0), ("seo", "SEO", "seo", 400.0), ("content", "内容", "content", 800.0),
    ("community", "社群", "community", 300.0), ("event", "活动", "event", 1500.0),
    ("partner", "异业合作", "partner", 500.0), ("referral", "转介绍", "referral", 100.0),
    ("telesales", "电销", "telesales", 1200.0),
]
CHANNEL_LEAD_WEIGHTS = [26, 14, 14, 8, 12, 8, 8, 10]

CAMPAIGNS = [  # (name, kind, mode, channel_id)
    ("数字化转型直播", "live_stream", "hosted", "content"), ("数据驱动增长研讨会", "webinar", "hosted", "content"),
    ("SaaS增长微课", "micro_course", "hosted", "community"), ("用户社群训练营", "community", "hosted", "community"),
    ("行业数字化峰会", "conference", "participated", "event"), ("企业服务展", "exhibition", "sponsored", "event"),
    ("CIO闭门沙龙", "salon", "co_hosted", "event"), ("会销专场", "conference_sales", "hosted", "event"),
    ("标杆客户参观", "site_visit", "hosted", "referral"), ("生态伙伴联合发布", "webinar", "co_hosted", "partner"),
]

LEAD_NEEDS = ["需要统一的经营报表", "替换Excel手工统计", "希望提升续费率", "渠道数据对接", "销售过程管理", "客户成功体系搭建"]
TOUCH_OUTCOMES = ["已接通", "未接通", "有兴趣", "约了演示", "发送资料", "需跟进", "暂无需求"]
OPPORTUNITY_STAGES = ["需求确认", "方案演示", "商务谈判", "合同审批"]

COMMUNITY_GROUPS = [
    ("数据分析交流群", "数据分析师的日常问答"), ("CIO俱乐部", "KA客户决策者的闭门交流"),
    ("新客户上手营", "新签客户前90天的上手陪跑"), ("华东用户群", "华东区域客户的线下活动"),
    ("Analytics Power Users", "English-speaking power users"),
]
REQUIREMENT_TITLES = [
    "报表支持按周对比", "支持企业微信登录", "导出Excel保留格式", "数据连接器支持钉钉", "移动端看板",
    "权限按部门隔离", "API 限流提高", "Salesforce connector field mapping", "自定义指标公式", "仪表盘定时推送",
]
