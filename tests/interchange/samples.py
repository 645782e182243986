"""One small, valid file per entity, every column filled at least once, plus a custom attribute.

Ordered so references resolve: accounts before contacts, channels before their costs …
Text with commas, quotes, a line break and Chinese checks the CSV quoting round trip.
"""

SAMPLES: dict[str, str] = {
    "accounts": (
        "account_id,name,industry,employees,annual_revenue,currency,region,type,tier,parent_account_id,owner,created_at,erp_code\n"
        "A1,Acme Group,SaaS,1200,1500000000.25,CNY,华东,direct,,,alice,2023-01-05 09:30:00,E-001\n"
        "A2,\"Beta, Ltd.\",Retail,150,,USD,North,channel,KA,A1,王伟,2023-02-01 00:00:00,\n"
        "A3,华为云,制造,8,2000000,CNY,,isv,,A2,,,E-003\n"
    ),
    "contacts": (
        "contact_id,account_id,name,title,role,email,phone,wechat,created_at,hobby\n"
        "C1,A1,张三,CTO,decision_maker,zs@example.com,13800138000,zs_wx,2023-01-06 10:00:00,golf\n"
        "C2,A2,Bob \"B\" Smith,Buyer,purchaser,bob@example.com,,,,\n"
        "C3,,Lone Ranger,,user,,,,2023-03-01 12:00:00,\n"
    ),
    "leads": (
        "lead_id,created_at,name,company,email,phone,title,channel,campaign_id,industry,employees,region,budget,authority,need,timeline,status,utm_term\n"
        "L1,2024-01-02 08:00:00,李雷,韩梅梅科技,ll@example.com,13900000000,经理,sem,CP1,教育,300,华南,500000,yes,\"needs CRM,\nand BI\",3-6m,mql,crm software\n"
        "L2,2024-01-03 09:15:00,Jane,Doe Inc,,,,seo,,,,,,,,,new,\n"
    ),
    "touches": (
        "touch_id,at,kind,lead_id,contact_id,account_id,campaign_id,outcome,owner,duration_min\n"
        "T1,2024-01-05 14:00:00,call,L1,,,CP1,interested,alice,15\n"
        "T2,2024-01-06 10:00:00,visit,,C1,A1,,signed NDA,王伟,\n"
    ),
    "opportunities": (
        "opportunity_id,account_id,lead_id,name,stage,amount,currency,created_at,close_date,status,owner,source_note\n"
        "O1,A1,L1,Acme CRM expansion,negotiation,120000.5,CNY,2024-01-10 00:00:00,2024-03-31,open,alice,from QBR\n"
        "O2,A2,,Beta pilot,closed,9000,USD,2024-02-01 10:00:00,2024-02-20,won,bob,\n"
    ),
    "subscriptions": (
        "subscription_id,account_id,product,plan,mrr,currency,seats,start_date,end_date,contract_no\n"
        "S1,A1,crm,pro,1000,CNY,10,2024-01-01,2024-07-01,HT-1\n"
        "S1,A1,crm,pro,1200.75,CNY,12,2024-07-01,,HT-1\n"
        "S2,A2,bi,trial,0,USD,,2024-03-01,2024-03-15,\n"
    ),
    "nps_responses": (
        "response_id,at,account_id,contact_id,score,comment,survey\n"
        "R1,2024-04-01 09:00:00,A1,C1,9,很好用,Q2\n"
        "R2,2024-04-02 10:30:00,A2,,0,\"slow, buggy\",\n"
        "R3,2024-04-03 11:00:00,,,7,,\n"
    ),
    "channels": (
        "channel_id,name,kind,team\n"
        "CH1,百度SEM,sem,growth\n"
        "CH2,Partners,partner,\n"
    ),
    "channel_costs": (
        "date,channel_id,cost,currency,invoice\n"
        "2024-01-01,CH1,5000.5,CNY,INV-1\n"
        "2024-01-02,CH1,0,CNY,\n"
        "2024-01-01,CH2,300,USD,\n"
    ),
    "campaigns": (
        "campaign_id,name,kind,mode,channel_id,start_date,end_date,budget,cost,currency,city\n"
        "CP1,Spring webinar,webinar,hosted,CH1,2024-03-01,2024-03-01,10000,8500.5,CNY,上海\n"
        "CP2,Expo,exhibition,participated,,2024-05-10,2024-05-12,,,CNY,\n"
    ),
    "community_groups": (
        "group_id,name,positioning,created_at,target_size,platform\n"
        "G1,CRM 用户群,power users,2023-06-01 00:00:00,500,wecom\n"
        "G2,Partners,,,,\n"
    ),
    "community_members": (
        "group_id,member_id,contact_id,account_id,joined_at,left_at,identity,source,region,nickname\n"
        "G1,M1,C1,A1,2023-06-02 10:00:00,,customer,event,华东,小张\n"
        "G1,M2,,,2023-06-03 10:00:00,2023-07-01 00:00:00,prospect,ads,,\n"
        "G2,M1,C1,A1,2023-08-01 00:00:00,,partner,,,\n"
    ),
    "community_messages": (
        "message_id,group_id,member_id,at,kind,words\n"
        "MSG1,G1,M1,2023-06-02 10:05:00,checkin,3\n"
        "MSG2,G1,M2,2023-06-03 11:00:00,question,\n"
    ),
    "requirements": (
        "requirement_id,at,title,description,source,account_id,submitted_by,status,priority\n"
        "RQ1,2024-02-01 09:00:00,SSO login,\"Support SAML; \"\"urgent\"\"\",customer,A1,张三,new,P1\n"
        "RQ2,,Export to PDF,,sales,,bob,accepted,\n"
    ),
}

ORDER = list(SAMPLES)
