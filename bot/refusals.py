"""What staff read when the core refuses something: one Chinese sentence per refusal code,
saying what was wrong and what to do. The console, the staff API and the CLI's import reports
all say it through `explain` (an error) or `row_problem` (a row of an import file)."""

from collections.abc import Mapping
from typing import Any

from bot import texts
from bot.wechat.errors import WeChatApiError

# Columns of the import files (products, FAQ, risk assessments), named as staff know them.
COLUMNS = {
    "code": "产品代码", "name": "名称", "category": "类别", "risk": "风险等级", "rate": "利率",
    "term": "期限", "min_amount": "起购金额", "sale_start": "销售开始日期",
    "sale_end": "销售截止日期", "branches": "销售网点", "summary": "简介", "details": "详情",
    "link": "链接", "past_performance": "过往业绩", "keywords": "关键词", "private": "私募",
    "key": "编号", "topic": "主题", "question": "问题", "answer": "回答", "active": "启用",
    "openid": "客户微信标识", "aum": "月日均资产", "balance": "余额", "medium": "介质",
    "mobile_active": "手机银行月活", "transactions": "交易笔数",
    "employer": "单位", "customer_no": "客户号", "mobile": "手机号", "level": "评估等级",
    "assessed_on": "评估日期", "source": "来源", "definition": "定义", "standard": "分类标准",
    "coverage": "覆盖范围", "tag": "标签", "manager": "客户经理", "kind": "类型",
    "customer_rate": "客户利率", "ftp_rate": "FTP利率", "product": "产品", "fee": "中间业务收入",
    "overdue": "逾期金额", "npl": "不良金额", "month": "月份", "metric": "指标",
    "target": "目标",
    "complaint_summary": "投诉摘要", "complaint_detail": "投诉详情", "reason": "理由",
}
REFUSALS = {
    # Import files as a whole.
    "encoding": (
        "无法识别文件的编码（既不是 UTF-8 也不是 GBK）："
        "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”后重新上传。"),
    "workbook": (
        "这是 Excel 工作簿（.xlsx/.xls），"
        "不是 CSV：请在 Excel 中“另存为”CSV 文件后重新上传。"),
    "binary": "这不是文本文件：请上传 CSV 或 TOML 文件。",
    "workbook_unreadable": (
        "无法读取这个 Excel 工作簿：请确认是 .xlsx 文件（不是 .xls），或另存为 CSV 后重新上传。"),
    "unknown_format": "不支持“{format}”格式：请上传 .csv 或 .toml 文件。",
    "too_many_values": (
        "这一行的值比表头的列多：请检查是否有多余的逗号，"
        "含逗号的内容请用英文双引号括起来。"),
    "toml_syntax": "这一行不是有效的 TOML 写法：请检查引号、等号和方括号是否成对。",
    "toml_tables": "文件中只能有 [[{table}]] 表，请删除其他内容。",
    "empty_file": "文件中没有任何记录：请检查是否选错了文件。",
    # One row of an import file.
    "unknown_field": "不认识的列“{field}”：请使用模板中的列名。",
    "required": "“{column}”不能为空。",
    "too_long": "“{column}”最多 {limit} 个字，请删减。",
    "banned_phrase": (
        "“{column}”中含有违规用语“{phrase}”（如保本、高收益等承诺收益的说法），"
        "请修改后再导入。"),
    "bad_code": "“{column}”“{value}”只能由 2–{limit} 个字母、数字、- 或 _ 组成。",
    "not_a_choice": "“{column}”“{value}”无效，只能是 {choices} 之一。",
    "rate_required": "贷款和信用卡必须填写“利率”（年化利率）。",
    "bad_amount": "“{column}”“{value}”须为整数（单位：元）。",
    "bad_date": "“{column}”“{value}”不是日期，请写成 2026-01-31 的格式。",
    "bad_level": "“{column}”“{value}”无效，请填写 {prefix}1 至 {prefix}5。",
    "sale_window": "“销售截止日期”早于“销售开始日期”，请核对。",
    "unknown_sale_branch": (
        "网点代码“{branch}”不存在，请核对（运维人员可用 branchlink branches list 查看）。"),
    "bad_link": "“{column}”须为以 http:// 或 https:// 开头的网址。",
    "bad_flag": "“{column}”“{value}”无效，请填写 true 或 false（是/否）。",
    "repeated": "“{column}”“{value}”与第 {first} 行重复。",
    "twice": "“{column}”“{value}”在文件中出现了不止一次，请只保留一行。",
    "assessed_on": "“评估日期”不能为空，也不能晚于今天。",
    "unknown_customer": "找不到微信标识为“{value}”的客户，请核对。",
    # The bank's extracts (branchlink classify import).
    "bad_kind": ("不认识的文件类型“{value}”："
                 "只能是 balances、holdings、media、employers、mapping 或 list:名单名。"),
    "bad_list_name": "名单名写法不对（“{value}”）：请写成 list:名单名，名单名不含空格和标点。",
    "bad_month": "月份“{value}”写法不对：请写成 2026-11 的格式。",
    "old_workbook": "这是旧版 Excel（.xls）文件：请另存为 .xlsx 或 CSV 后重新上传。",
    "bad_header": "表头不对：缺少列 {missing}，多出列 {unknown}。请使用模板中的列名。",
    "no_key": "这一行既没有“客户号”也没有“手机号”，至少填写一项。",
    "bad_customer_no": "客户号“{value}”格式不对：应为 8–20 位数字。",
    "bad_mobile": "“手机号”不是有效的大陆手机号码（11 位，以 13–19 开头）。",
    "mapping_pair": "对照文件的每一行都要同时填写“客户号”和“手机号”。",
    "negative_amount": "“{column}”“{value}”是负数：金额不能为负。",
    "bad_balance": "“{column}”“{value}”不是金额：请填写数字（单位：元，最多两位小数）。",
    "bad_active": "“{column}”“{value}”无效：请填写“是”或“否”（也可写 1/0、Y/N）。",
    "bad_count": "“{column}”“{value}”不是笔数：请填写不小于 0 的整数。",
    "duplicate_key": "这一行的客户与第 {first} 行重复：同一客户只能出现一次。",
    "more_rows": "另有 {count} 行有问题未逐一列出，请先改正上面的问题。",
    "bad_threshold": "门槛“{value}”无效：须为正整数（元），且从潜力到私行逐级升高。",
    "bad_tag": "标签不能含控制字符。",
    "customer_no_taken": "这个客户号已登记在另一位客户名下，请核对。",
    # QR codes and the organisation.
    "scene_length": "二维码场景须为 1 至 {limit} 个字符。",
    "scene_part": (
        "无法识别“{part}”：场景请写成 b:网点代码、m:客户经理代码 或 c:活动代码，"
        "多项用分号分隔，例如 b:SH001;c:SPRING。"),
    "scene_tag_twice": "场景中“{tag}:”出现了两次，每一项只能写一次。",
    "scene_no_subject": "场景须包含网点（b:网点代码）或客户经理（m:客户经理代码）。",
    "unknown_branch": "找不到网点代码“{code}”，请核对后重试。",
    "unknown_manager": "找不到客户经理代码“{code}”，请核对后重试。",
    "code_limit": (
        "公众号的永久二维码已达上限，不能再生成："
        "请改用带活动代码的临时二维码（如 b:SH001;c:SPRING），"
        "或联系运维人员。"),
    "temporary_days": "活动二维码的有效天数须为 1 至 {limit} 天。",
    "platform": "微信平台暂时无法生成二维码，请稍后重试；多次失败请联系运维人员。",
    # Segments: a rule's fault, at its JSON path ({path}).
    "rule_shape": "{path}：条件须写成 all / any / not 组合或一个条件对象，请检查。",
    "rule_key": "{path}：不认识的字段“{key}”，只能用 all、any、not、dim、op、value、month。",
    "rule_list": "{path}：“且/或”组合中至少要有一个条件。",
    "rule_depth": "{path}：条件嵌套超过 {limit} 层，请简化。",
    "rule_size": "{path}：条件超过 {limit} 个，请拆分成多个客群。",
    "unknown_dimension": "{path}：没有名为“{dim}”的维度，请从维度列表中选择。",
    "unknown_operator": "{path}：维度“{dim}”不支持比较方式“{op}”，请重新选择。",
    "month_not_stored": "{path}：维度“{dim}”是实时计算的，不能指定月份。",
    "rule_month": "{path}：月份“{value}”无效，请写成 2026-11 的格式。",
    "bad_values": "{path}：请至少选择一个值（最多 200 个）。",
    "bad_value": "{path}：值“{value}”无效（须为 1–64 个可见字符）。",
    "no_such_group": "{path}：没有名为“{value}”的客户群名单，请先导入名单或从列表中选择。",
    "no_such_branch": "{path}：找不到网点代码“{value}”，请从列表中选择。",
    "no_such_manager": "{path}：找不到客户经理代码“{value}”，请从列表中选择。",
    "no_such_interest": "{path}：没有“{value}”这个产品大类，请从列表中选择。",
    "not_a_code": "{path}：“{value}”无效，只能是 {choices} 之一。",
    "bad_channel": "{path}：渠道“{value}”须写成 scene:场景、branch:网点代码、campaign:活动代码、"
                   "mobile:active（手机银行月活）或 last_login:2026-11（最近登录月份）。",
    "channel_compare": "{path}：渠道只能比较“最近登录月份”，请写成 last_login:2026-11 的格式。",
    "bad_number": "{path}：“{value}”须为不小于 0 的数字。",
    "bad_between": "{path}：“介于”须给出两个数字，且前一个不大于后一个。",
    "bad_risk_level": "{path}：风险等级“{value}”无效，请填写 1 至 5。",
    "bad_days": "{path}：天数“{value}”无效，须为 1 至 {limit} 天。",
    "unknown_list": "没有名为“{value}”的客户群名单，请先导入名单。",
    "unknown_segment": "找不到这个客群，或它不在您的权限范围内。",
    "segment_name": "客群名称不能为空，最多 {limit} 个字。",
    "segment_not_own": "只有客群的创建人或总行可以修改它。",
    "segment_static": "名单客群按导入的名单冻结，不能修改条件；请新建一个条件客群。",
    "segment_no_scope": "您的账号没有绑定网点或客户经理，不能创建客群，请联系运维人员。",
    # Campaigns.
    "unknown_campaign": "找不到这个营销活动，或它不在您的权限范围内。",
    "unknown_snapshot": "找不到客群快照 {id}：请先在客群页面为客群生成快照。",
    "campaign_role": "只有网点负责人（本网点活动）或总行（全行活动）可以创建营销活动。",
    "snapshot_scope": (
        "所选客群快照不属于本活动的范围（全行活动用总行客群，"
        "网点活动用本网点客群），请重新选择。"),
    "campaign_name": "活动名称不能为空，最多 {limit} 个字。",
    "template_channel": (
        "模板消息只能用于服务通知，不能用于营销活动："
        "请选择群发、客服消息或客户经理外呼/走访。"),
    "channels": "请至少选择一个渠道：群发、客服消息或客户经理外呼/走访。",
    "control_share": "对照组比例须在 0% 至 50% 之间。",
    "product_risk": "产品风险等级须为 1 至 5（R1–R5）。",
    "content_empty": "活动内容不能为空。",
    "content_too_long": (
        "活动内容超过微信文本消息的长度上限（{detail} 字节，一个汉字占 3 字节；"
        "关联产品的活动须为附上的链接留出位置），请精简。"),
    "content_banned": "活动内容含有禁用表述“{detail}”，不能提交审批：请删除或改写。",
    "content_disclosure": "投资类产品的活动内容须包含风险提示“{detail}”。",
    "empty_audience": (
        "按联系规则剔除后，本活动没有可触达的客户，不能提交审批："
        "请查看剔除原因或更换客群。"),
    "own_approval": "活动须由起草人以外的人审批（双人复核），您不能审批自己起草的活动。",
    "approver_role": "网点活动须由本网点负责人审批，全行活动须由总行审批。",
    "campaign_state": "活动当前状态（{state}）不能进行这个操作，请刷新页面后再试。",
    "campaign_closed": "活动已结束或已取消，不能再操作。",
    "already_sending": "活动已在发送中（或已发送完毕），不会重复发送。",
    "not_approved": "活动尚未通过审批，不能发送。",
    "schedule_time": (
        "排期发送时间须晚于现在（北京时间，如 2026-12-01 10:00）；留空则审批后手动开始发送。"),
    "task_outcome": "结果只能是：已接通、有意向、无意向、号码错误、勿再联系。",
    "campaign_product": (
        "产品代码“{product}”不存在或不能分享（私募产品不能通过活动链接推广），请核对。"),
    "task_state": "任务状态只能是：open（待处理）、done（已记录）或 all（全部）。",
    "unknown_task": "找不到这条外呼/走访任务，或它不是您名下客户的任务。",
    "not_sending": "活动不在发送中，无需暂停。",
    "resume_cancelled": "已取消的活动不能恢复发送：如需再次触达，请新建活动。",
    # Organisations and referrals.
    "credit_code_shape": (
        "统一社会信用代码“{value}”应为 18 位数字或大写字母（不含 I、O、Z、S、V），"
        "第 3–8 位为行政区划数字，请对照营业执照核对。"),
    "credit_code_check": (
        "统一社会信用代码“{value}”的最后一位校验码不对，多半是抄错了某一位："
        "请对照营业执照逐位核对。"),
    "credit_code_taken": "统一社会信用代码“{value}”已属于“{holder}”，同一代码不能登记两个单位。",
    "unknown_owner": (
        "找不到客户经理代码“{manager}”，请核对（可用 branchlink managers list 查看）。"),
    "not_corporate": "“{name}”（{manager}）不是对公客户经理，单位只能归属对公客户经理。",
    "referral_unknown_subject": "找不到要转介的客户或单位“{value}”，请核对客户编号或单位代码。",
    "referral_out_of_scope": (
        "只能转介自己名下的客户、自己负责的单位及其联系人，或联系人是自己客户的单位：请核对。"),
    "referral_same_line": "转介要转给其他条线，不能转给自己所在的条线。",
    "referral_self": "不能把客户转介给自己。",
    "referral_owner": "“{name}”已经是这位客户（单位）的客户经理，无需转介。",
    "referral_wrong_line": "“{name}”不在所选条线，请选该条线的客户经理或交给分配规则。",
    "referral_unknown_receiver": "找不到客户经理代码“{manager}”（或已离职），请核对。",
    "referral_locked": (
        "这位客户（单位）已由{referrer}转介到该条线（转介编号 {id}），"
        "锁定期内不能重复转介；如有争议请网点负责人裁定。"),
    "referral_value": "预计价值须为不小于 0 的整数（单位：元）。",
    "referral_note": "备注最多 500 个字。",
    "referral_not_receiver": "只有接收转介的客户经理可以推进这条转介。",
    "referral_step": "这条转介目前的状态不能直接改为所选状态：请刷新页面后按顺序推进。",
    "referral_reason": "请填写原因。",
    "referral_not_head": "只有该网点的负责人（或总行）可以分配或裁定这条转介。",
    "outcome_no_referral": "“{value}”在该条线没有转介在锁定期内，无法记为转介成果：请核对。",
    "chain_lead_not_yours": "只有这条链条线索的客户经理、所属网点负责人或总行可以推进它。",
    "chain_lead_step": "这条链条线索目前的状态不能改为所选状态：请刷新页面后再选。",
    "self_relationship": "单位“{value}”不能与自己建立交易关系：请核对交易对手代码。",
    "trade_circle": (
        "“{a}”与“{b}”的这条关系会让货物循环流动（甲供货给乙、乙又供货给甲），"
        "多半是导出时两列对调了：请核对。"),
    "unknown_organisation": (
        "找不到单位代码“{value}”：请先导入该单位（branchlink orgs import），"
        "再导入联系人或交易关系。"),
    # Scorecards: book extracts, templates, targets and monthly runs.
    "unknown_book_kind": "“类型”“{value}”无效，只能是 存款、贷款、中收、事件 之一。",
    "unknown_month": "这一行的月份“{value}”不是正在导入的月份：请核对，或按该月份单独导入。",
    "ftp_out_of_range": (
        "FTP利率“{value}”超出范围（{low}%–{high}%）：请按年化百分数填写，例如 2.35。"),
    "rate_out_of_range": "“{column}”“{value}”超出范围（{low}%–{high}%）：请按年化百分数填写。",
    "bad_figure": "“{column}”“{value}”不是数字，请核对。",
    "month_frozen": "{month} 的考核已经总行审批冻结，不能再导入或重算；如需更正请联系总行。",
    "month_not_run": "{month} 还没有计算考核卡，请先计算再审批。",
    "weights_not_100": "各项指标的权重合计须为 100，现在是 {total}：请调整后再保存。",
    "unknown_metric": "第 {line} 项：没有“{metric}”这个指标，请从指标列表中选择。",
    "unknown_method": "第 {line} 项：计分方法“{method}”无效，只能是完成率或排名。",
    "bad_template_line": "第 {line} 项：权重须为 1–100 的整数，保底不小于 0，封顶不小于保底。",
    "bad_veto": "第 {line} 条否决规则无效：请检查指标、对应的考核项和扣减比例（1–100）。",
    "bad_penalty": "第 {line} 条扣分规则无效：只能针对投诉成立或适当性违规。",
    "bad_template_number": "第 {line} 项的“{field}”不是数字，请核对。",
    "unknown_target_metric": "没有“{metric}”这个指标，请从指标列表中选择。",
    "unknown_target_subject": "找不到客户经理或网点代码“{value}”，请核对后重新导入目标。",
    "month_not_frozen": "{month} 的考核还没有经总行审批冻结，不能导出计酬：请先审批。",
    # The complaints and suitability-override registers.
    "complaint_decided": "第 {id} 号投诉已有认定结论：网点负责人只能认定一次，如需改判请联系总行。",
    "override_not_needed": (
        "客户当日的风险评估（C{level}）已覆盖产品风险等级（R{risk}），这不是适当性突破，无需登记。"),
    "date_ahead": "日期“{value}”晚于今天，请核对。",
    "no_such_customer": "找不到编号为“{value}”的客户，请用客户选择框挑选。",
    "no_such_product": "找不到产品代码“{value}”，请用产品选择框挑选。",
    "bad_pay_rule": "计酬规则无效：{field} 须在允许范围内，请核对。",
}
FALLBACK = "操作未能完成，请检查填写的内容后重试；如仍有问题请联系运维人员。"
ROW = "第 {line} 行：{problem}"
WHOLE_FILE = "整个文件：{problem}"


def explain(error: Exception) -> str:
    """Say in Chinese why the core (or the platform) refused, and what to do."""
    code = getattr(error, "code", "")
    if code in texts.CODE_REFUSALS:
        return texts.CODE_REFUSALS[code].format(**getattr(error, "names", {}))
    if code in texts.TRANSFER_REFUSALS:
        return texts.TRANSFER_REFUSALS[code].format(detail=getattr(error, "detail", ""))
    if isinstance(error, WeChatApiError):
        code = "platform"
    if not isinstance(code, str) or code not in REFUSALS:
        return FALLBACK
    return say(code, getattr(error, "params", {}))


def say(code: str, params: Mapping[str, Any]) -> str:
    """Fill in the sentence of a refusal code (the column's Chinese name included)."""
    values = dict(params)
    field = str(values.get("field", ""))
    values.setdefault("column", f"{COLUMNS[field]}（{field}）" if field in COLUMNS else field)
    try:
        return REFUSALS[code].format(**values)
    except (KeyError, IndexError):
        return FALLBACK


def row_problem(line: int, code: str, params: Mapping[str, Any]) -> str:
    """Say what is wrong with one row of an import file (line 0: the file as a whole)."""
    problem = say(code, params) if code in REFUSALS else FALLBACK
    return ROW.format(line=line, problem=problem) if line else \
        WHOLE_FILE.format(problem=problem)
