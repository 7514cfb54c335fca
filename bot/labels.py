"""The Chinese names of every stored code staff read: statuses, sources, kinds, roles, audit
actions and their details, the platform's error codes. One table per kind; the console shows
them through the `zh` filter, so a raw code such as `leads_exported` never reaches a page."""

from collections.abc import Mapping
from typing import Any

LEAD_SOURCES = {"direct": "直接关注", "contact_request": "联系客户经理",
                "menu_appointment": "菜单预约", "product_interest": "产品咨询"}

LABELS: dict[str, dict[str, str]] = {
    "lead": {"new": "待联系", "contacted": "已联系", "converted": "已成交", "lost": "已流失"},
    "source": LEAD_SOURCES,
    "follow": {"following": "已关注", "unfollowed": "已取消关注", "unknown": "未知"},
    "notice": {"pending": "待发送", "held": "待绑定", "sending": "发送中", "sent": "已发送",
               "delivered": "已送达", "failed": "失败", "unknown": "结果未知", "dead": "已放弃"},
    "notice_kind": {"new_customer": "新客户提醒", "new_lead": "新线索提醒",
                    "lead_reminder": "线索跟进提醒", "lead_escalation": "线索超时上报",
                    "daily_digest": "每日待办汇总", "share_opens": "分享打开提醒",
                    "transfer": "客户转移通知", "manager_changed": "客户经理变更告知（客户）",
                    "talk_waiting": "客户等待回复提醒", "talk_escalation": "会话超时上报",
                    "talk_reply": "会话回复（客户）", "talk_page": "回复待查看告知（客户）",
                    "referral": "转介通知"},
    "referral": {"submitted": "待接收", "accepted": "已接收", "declined": "已拒绝",
                 "contacted": "已联系", "qualified": "有效商机", "converted": "已成交",
                 "not_converted": "未成交", "expired": "已超期"},
    "manager": {"active": "在岗", "on_leave": "休假", "left": "已离职"},
    "manager_role": {"retail": "零售", "wealth": "财富", "loan": "信贷", "corporate": "对公"},
    "link": {"first_touch": "首次关注", "manager_left": "原经理离职", "transfer": "转移"},
    "miss": {"not_found": "未找到（已建议联系客户经理）", "unsure": "不确定（已给出选项）"},
    "role": {"manager": "客户经理", "branch_head": "网点负责人", "head_office": "总行",
             "service": "在线客服"},
    "complaint_channel": {"counter": "柜面", "phone": "电话", "wechat": "微信",
                          "letter": "信函", "regulator": "监管转办"},
    "complaint_verdict": {"pending": "待认定", "substantiated": "投诉成立",
                          "unsubstantiated": "投诉不成立"},
    "code_kind": {"permanent": "永久", "temporary": "临时"},
    # What a customer sent, for the timeline (the kinds bot.texts.SUMMARY does not word itself).
    "message_kind": {"image": "图片", "voice": "语音", "video": "视频", "shortvideo": "小视频",
                     "link": "链接", "file": "文件", "miniprogrampage": "小程序卡片",
                     "event:templatesendjobfinish": "模板消息送达回执",
                     "event:scancode_push": "扫一扫", "event:pic_weixin": "发图片"},
    "direction": {"in": "客户", "out": "银行"},
    "audit_subject": {"all": "全部", "customers.phone": "客户手机号", "leads": "线索列表"},
    "audit_action": {
        "campaign_created": "新建营销活动", "campaign_submitted": "提交营销活动审批",
        "campaign_approved": "审批通过营销活动", "campaign_started": "开始发送营销活动",
        "campaign_paused": "暂停营销活动", "campaign_resumed": "恢复营销活动",
        "campaign_cancelled": "取消营销活动", "campaign_done": "营销活动发送完成",
        "campaign_export": "导出营销活动报告", "campaign_task_outcome": "记录外呼/走访结果",
        "campaign_rejected": "退回营销活动修改",
        "contact_consent": "记录客户同意", "book_import": "导入考核业务数据",
        "score_targets": "导入考核目标", "score_template": "保存考核模板",
        "scorecards_run": "计算考核卡", "scorecards_freeze": "审批冻结考核卡",
        "payroll_export": "导出绩效薪酬", "complaint_recorded": "登记客户投诉",
        "complaint_decided": "认定客户投诉", "suitability_override": "登记适当性突破",
        "staff_line": "设置员工所属条线", "contact_opt_in": "客户恢复接收营销消息",
        "contact_opt_out": "客户退订营销消息", "contact_dnc": "标记勿再联系",
        "conversation_assigned": "转交会话", "conversation_exported": "导出会话记录",
        "canned_reply_added": "新增快捷回复",
        "login": "登录", "login_failed": "登录失败", "login_throttled": "登录过于频繁被暂停",
        "logout": "退出登录", "password_set": "修改密码", "staff_added": "新增员工账号",
        "staff_deactivated": "停用员工账号", "staff_reactivated": "恢复员工账号",
        "api_token_issued": "签发 API 令牌", "api_token_revoked": "吊销 API 令牌",
        "bind_code_issued": "生成绑定码", "bind_failed": "绑定失败",
        "manager_bound": "客户经理绑定微信", "manager_unbound": "客户经理解除绑定",
        "lead_updated": "更新线索", "leads_exported": "导出线索",
        "customer_exported": "导出客户资料", "pii_viewed": "查看客户手机号",
        "pii_rotated": "更换个人信息加密密钥", "phone_recorded": "登记客户手机号",
        "transfer": "转移客户", "notice_retried": "重发通知",
        "poster_exported": "下载海报", "posters_exported": "批量下载海报",
        "products_imported": "导入产品", "risk_assessed": "记录风险承受能力评估",
        "risk_imported": "导入风险承受能力评估", "suitability": "产品适当性判断",
        "personalisation": "个性化推荐设置", "synonym_added": "新增同义词",
        "need_added": "新增需求词", "faq_added": "新增常见问题",
        "customer_renamed": "修改客户姓名", "note_added": "添加客户备注",
        "share_link_made": "生成产品分享链接", "customers_exported": "导出客户列表",
        "pii_rehashed": "重算手机号检索密钥",
        # Classification (issue 13).
        "classify_import": "导入客户分类数据", "classify_import_refused": "拒绝导入客户分类数据",
        "dimension_updated": "修改分类维度",
        "customer_tagged": "给客户打标签", "customer_untagged": "删除客户标签",
        "customer_number_recorded": "登记客户号",
        "segment_created": "新建客群", "segment_updated": "修改客群条件",
        "segment_snapshot": "冻结客群名单", "segment_exported": "导出客群名单",
        # Organisations, trade chains and referrals between staff.
        "organisations_imported": "导入单位", "contacts_imported": "导入单位联系人",
        "relationships_imported": "导入交易关系", "payroll_imported": "导入代发名单",
        "chain_leads_made": "生成链条线索", "chain_lead_moved": "推进链条线索",
        "relationship_entered": "录入交易关系",
        "referral_made": "提交转介", "referral_updated": "更新转介",
        "referral_settled": "裁定转介归属", "referral_outcomes": "导入转介成果",
    },
    # Classification (issue 13): tiers, lifecycle stages, dimension sources, extract kinds.
    "tier": {"mass": "大众", "potential": "潜力", "affluent": "富裕", "vip": "贵宾",
             "private": "私行"},
    "lifecycle": {"new": "新客", "growing": "成长", "mature": "成熟", "declining": "衰退",
                  "dormant": "休眠", "lost": "流失"},
    "mobile": {"active": "活跃", "inactive": "不活跃"},
    "dimension_source": {"imported": "行内数据导入", "derived": "系统推算", "staff": "员工设置"},
    "batch_kind": {"balances": "月日均资产", "holdings": "产品持有", "media": "介质",
                   "employers": "代发单位", "mobile": "手机银行活跃", "list": "特定客户群名单",
                   "mapping": "客户号对照"},
    "batch_status": {"accepted": "已导入", "refused": "已拒绝（未导入任何行）"},
    # Segments: how a condition compares, whose a segment is, the values a rule names.
    "segment_op": {"eq": "等于", "ne": "不等于", "in": "属于其一", "not_in": "不属于",
                   "gt": "大于", "gte": "不低于", "lt": "小于", "lte": "不高于",
                   "between": "介于", "within_days": "最近天数内", "member": "在名单中"},
    "segment_scope": {"network": "全行", "branch": "本网点", "manager": "本人客户"},
    "segment_kind": {"rule": "条件客群", "static": "名单客群"},
    # Campaigns: their states, channels, what became of a recipient and why.
    "campaign_state": {"draft": "草稿", "pending_approval": "待审批", "approved": "已审批",
                       "scheduled": "已排期", "sending": "发送中", "paused": "已暂停",
                       "done": "已完成", "cancelled": "已取消"},
    "campaign_action": {"submit": "提交审批", "approve": "审批通过", "reject": "退回修改",
                        "send": "开始发送", "pause": "暂停", "resume": "恢复发送",
                        "cancel": "取消活动"},
    "campaign_channel": {"mass": "群发", "custom": "客服消息", "task": "外呼/走访",
                         "none": "无渠道"},
    "recipient_status": {"planned": "待发送", "suppressed": "已剔除", "control": "对照组",
                         "batched": "发送中", "sent": "已发送", "failed": "发送失败",
                         "task": "经理任务"},
    "suppression": {"opt_out": "客户退订", "do_not_contact": "勿再联系",
                    "personalisation_off": "关闭个性化推荐", "no_consent": "未授权该用途",
                    "unsuitable": "风险评估不匹配", "weekly_cap": "7天内已达上限",
                    "monthly_cap": "本月群发已达4条", "no_route": "无可用渠道",
                    "window_closed": "48小时窗口已关闭",
                    "window_count": "48小时窗口内客服消息已达上限", "mass_single": "群发至少2人",
                    "interrupted": "发送中断（未重发）", "control": "对照组"},
    "pause_reason": {"staff": "员工暂停",
                     "quota_45009": "群发接口配额已用完（45009），请待配额恢复后再恢复发送"},
    "segment_dim": {"follow": "关注状态", "branch": "网点", "manager": "客户经理",
                    "tier": "资产层级", "aum": "月日均资产", "lifecycle": "生命周期",
                    "medium": "介质", "employer": "单位", "group": "特定客户群",
                    "holding": "产品持有", "channel": "渠道", "interest": "兴趣",
                    "risk": "风险等级", "tag": "员工标签", "mobile": "手机银行"},
    "segment_channel": {"scene": "来源场景", "branch": "来自网点", "campaign": "来自活动",
                        "last_login": "手机银行最近登录月份"},
    # 渠道's comparisons: only the mobile-banking last-login month has an order.
    "channel_op": {"gt": "手机银行最近登录晚于", "gte": "手机银行最近登录不早于",
                   "lt": "手机银行最近登录早于", "lte": "手机银行最近登录不晚于",
                   "between": "手机银行最近登录介于"},
    "task_outcome": {"reached": "已接通", "interested": "有意向", "not_interested": "无意向",
                     "wrong_number": "号码错误", "do_not_contact": "勿再联系"},
    "offer_outcome": {"shown": "已展示", "off_sale": "不在销售期", "not_at_branch": "非本网点销售",
                      "private_placement": "私募不公开宣传", "unknown": "产品不存在",
                      "no_assessment": "未评估", "assessment_expired": "评估已过期",
                      "risk_above_assessment": "风险等级高于评估结果"},
    # The platform's error codes a notice can fail with (the common ones; others by number).
    "wechat_error": {
        "-1": "微信系统繁忙，稍后会自动重试",
        "40001": "公众号凭证无效，请运维人员检查 AppSecret",
        "40003": "接收人的微信标识无效，请让客户经理重新绑定",
        "40037": "模板编号无效，请运维人员检查通知模板配置",
        "41028": "表单已失效",
        "43004": "接收人未关注公众号，请让客户经理关注后重新绑定",
        "43101": "接收人拒收此类消息",
        "45009": "今日接口调用次数已用完，明日自动恢复",
        "47003": "模板内容不符合要求，请运维人员检查模板字段",
    },
}

# The coded values a segment rule names (tiers, lifecycle stages, follow states).
# 渠道's mobile-banking activity, as a rule and the catalogue's counts name it.
LABELS["channel"] = {"mobile:active": "手机银行月活", "mobile:inactive": "手机银行非月活"}
LABELS["segment_value"] = {**LABELS["tier"], **LABELS["lifecycle"], **LABELS["follow"],
                           **LABELS["channel"]}

# Audit details: each key's Chinese name, and the table that names its value (if any).
AUDIT_KEYS: dict[str, tuple[str, str | None]] = {
    "audience": ("受众", "campaign_audience"), "customer": ("客户编号", None),
    "task_outcome": ("结果", "task_outcome"), "scheduled_at": ("排期（北京时间）", None),
    "note": ("备注", None), "targets": ("目标条数", None), "cards": ("考核卡数", None),
    "lines": ("条数", None), "pay": ("金额（元）", None),
    "ip": ("IP 地址", None), "limit": ("尝试上限", None), "status": ("状态", "lead"),
    "role": ("角色", "role"), "name": ("名称", None), "token": ("令牌编号", None),
    "tokens_revoked": ("吊销令牌数", None), "customers": ("客户编号", None),
    "rows": ("行数", None), "files": ("文件数", None), "created": ("新增", None),
    "level": ("评估等级", None), "assessed_on": ("评估日期", None), "assessments": ("条数", None),
    "personalised": ("个性化推荐", None), "customer_level": ("客户评估等级", None),
    "expired": ("评估已过期", None), "decisions": ("逐项结果", None), "code": ("产品", None),
    "version": ("版本", None), "risk": ("风险等级", None), "outcome": ("结果", "offer_outcome"),
    "canonical": ("标准说法", None), "asked": ("客户说法", None), "served": ("对应产品词", None),
    "question": ("问题", None),
    "rule": ("条件", "segment_rule"), "excluded": ("因关闭个性化推荐未纳入", None),
    "updated": ("更新", None), "rotated": ("已重新加密", None), "unreadable": ("无法解密", None),
    # Classification (issue 13).
    "file": ("文件", None), "sha256": ("文件指纹", None), "list": ("名单", None),
    "matched": ("匹配客户", None), "unmatched": ("未关注公众号", None), "tag": ("标签", None),
    "fields": ("修改内容", None), "errors": ("有误行数", None),
    # Scorecard registers and business lines.
    "manager": ("客户经理", None), "channel": ("渠道", "complaint_channel"),
    "verdict": ("结论", "complaint_verdict"), "before": ("原结论", "complaint_verdict"),
    "product": ("产品", None), "line": ("条线", "manager_role"),
    "previous_line": ("原条线", "manager_role"),
}
EMPTY = "—"
NOTICE_FAILED = "发送失败：网络或微信平台出错，可稍后重发；多次失败请联系运维人员"
WECHAT_ERROR_OTHER = "微信返回错误码 {code}，请联系运维人员"


def label(kind: str, value: Any) -> str:
    """Return the Chinese name of a stored code, or the code itself when it has none."""
    text = "" if value is None else str(getattr(value, "value", value))
    return LABELS.get(kind, {}).get(text, text or EMPTY)


def audit_detail(detail: Mapping[str, Any] | None) -> str:
    """Render an audit event's detail as "名称：值；…" in Chinese (empty when there is none)."""
    return "；".join(f"{_key(key)}：{_value(key, value)}"
                    for key, value in (detail or {}).items())


def audience_label(key: str) -> str:
    """Name a campaign's audience figure: a recipient status, or "status:reason" suppressed."""
    status, _, reason = key.partition(":")
    return f"已剔除：{label('suppression', reason)}" if reason else label("recipient_status",
                                                                         status)


def wechat_error(code: int | None, error: str | None) -> str:
    """Say why a notice failed, by the platform's error code (the raw text is for operators)."""
    if code is None:
        return NOTICE_FAILED if error else ""
    return LABELS["wechat_error"].get(str(code), WECHAT_ERROR_OTHER.format(code=code))


def _key(key: str) -> str:
    return AUDIT_KEYS.get(key, (key, None))[0]


def describe_rule(rule: Any) -> str:
    """Say a segment rule in Chinese: "资产层级 属于其一 贵宾、私行 且 非（…）"."""
    if not isinstance(rule, Mapping):
        return EMPTY
    for key, joiner in (("all", " 且 "), ("any", " 或 ")):
        if isinstance(rule.get(key), list):
            return "（" + joiner.join(describe_rule(part) for part in rule[key]) + "）"
    if "not" in rule:
        return f"非（{describe_rule(rule['not'])}）"
    values = rule.get("value")
    if rule.get("op") == "within_days":
        return f"{label('segment_dim', rule.get('dim'))} {values} 天内" + \
            ("到期" if rule.get("dim") == "risk" else "活跃")
    if rule.get("dim") == "channel" and rule.get("op") in LABELS["channel_op"]:
        months = (values if isinstance(values, list) else [values])
        return f"{label('channel_op', rule['op'])} " + \
            " 至 ".join(str(m).partition(":")[2] for m in months)
    shown = "、".join(_rule_value(item) for item in
                     (values if isinstance(values, list) else [values]))
    month = f"（{rule['month']}）" if rule.get("month") else ""
    words = label("segment_dim", rule.get("dim")), label("segment_op", rule.get("op"))
    return f"{words[0]}{month} {words[1]} {shown}"


def _rule_value(value: Any) -> str:
    kind, _, name = str(value).partition(":")
    if name and kind in LABELS["segment_channel"]:
        return f"{LABELS['segment_channel'][kind]} {name}"
    return label("segment_value", value)


def _value(key: str, value: Any) -> str:
    kind = AUDIT_KEYS.get(key, ("", None))[1]
    if kind == "segment_rule":
        return describe_rule(value)
    if kind == "campaign_audience" and isinstance(value, Mapping):
        return f"（{'，'.join(f'{audience_label(k)}：{n}' for k, n in value.items())}）"
    if isinstance(value, Mapping):
        return f"（{audit_detail(value).replace('；', '，')}）"
    if isinstance(value, list | tuple):
        return "、".join(_value(key, item) for item in value) or "无"
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    return label(kind, value) if kind else str(value)
