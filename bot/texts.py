"""Every sentence customers and staff read, in one place (Simplified Chinese).

Longer than the house's ~300 lines on purpose: the bank's compliance reviewers read and sign
off the customer-facing wording as one document, and templates reach it as `texts`. It holds
only constants and one-line formatters, grouped by the page or message family they serve.
"""

from datetime import datetime

# The names of stored codes live in bot.labels; re-exported for callers of texts.label.
from bot.labels import LABELS as LABELS
from bot.labels import LEAD_SOURCES
from bot.labels import label as label
from crm_core.services import ManagerCard

MY_MANAGER_KEYWORDS = ("我的客户经理", "客户经理", "我的经理")
MENU_MY_MANAGER = "MY_MANAGER"
CONTACT_KEYWORDS = ("联系客户经理", "联系经理", "预约")
MENU_APPOINTMENT = "APPOINTMENT"
BIND_COMMAND = "绑定"
UNBIND_COMMAND = "解除绑定"

WELCOME = "欢迎关注！"
WELCOME_BACK = "欢迎回来！"
MANAGER_LINE = "您的专属客户经理是{branch}的{name}（{title}），有任何需要都可以在这里留言。"
NO_MANAGER_YET = "我们会尽快为您安排专属客户经理。"
MY_MANAGER_HINT = "回复「我的客户经理」可随时查看。"
NO_MANAGER = "您目前还没有专属客户经理。扫描网点或客户经理的二维码即可建立联系。"
HELP = "您好，消息已收到。回复「我的客户经理」查看您的专属客户经理。"
UNKNOWN_MENU = "该功能即将上线，敬请期待。"
LOCATION_RECEIVED = "已收到您的位置。"
UNSUPPORTED = "暂不支持此类消息，您可以直接发送文字留言。"
SPOOLED = "您的消息已收到，我们会尽快处理。"
SORRY = "抱歉，系统繁忙，您的消息已记录，我们会尽快处理。"

LEAD_CONFIRMED = "已收到您的预约，{who}会尽快与您联系（一般在{hours}小时内）。"
LEAD_CONFIRMED_AGAIN = "您的预约我们已经收到，{who}会尽快与您联系，请耐心等待。"
LEAD_NO_MANAGER = "已收到您的预约，我们会尽快安排客户经理与您联系。"
BIND_OK = "绑定成功！您好，{name}（{branch}），新客户和预约提醒将发送到这个微信。"
BIND_USAGE = "请发送「绑定 八位绑定码」，绑定码由管理员通过系统生成。"
BIND_WRONG = "绑定码无效或已过期，请向管理员重新获取。"
BIND_THROTTLED = "尝试次数过多，请一小时后再试。"
BIND_TAKEN = "这个微信已绑定客户经理{name}，如需更换请先发送「解除绑定」。"
UNBIND_OK = "已解除绑定，您将不再收到客户提醒。"
UNBIND_NONE = "这个微信没有绑定客户经理。"

# Template message values (each at most 20 characters, no line breaks or emoji).
NOTICE_SOURCE = LEAD_SOURCES
NOTICE_DIGEST = "待跟进{open}条"
NOTICE_OVERDUE = "已超时{overdue}条"
NOTICE_ESCALATION = "{manager}未跟进"
MANAGER_CHANGED = "您好，您的专属客户经理已变更为{branch}的{manager}，今后由其为您服务。"
NOTICE_SOURCE_WITH_PRODUCT = "{source}：{product}"
NOTICE_SOURCE_SHARE = "分享链接关注"
NOTICE_SOURCE_MANAGER_CODE = "扫客户经理码关注"
NOTICE_SOURCE_BRANCH_CODE = "扫网点码关注"
NOTICE_SOURCE_CAMPAIGN = "{source}（活动{campaign}）"
NOTICE_SOURCE_OTHER = "其他渠道"
NOTICE_TRANSFER_IN = "转入客户{count}位"
NOTICE_TRANSFER_OUT = "转出客户{count}位"
NOTICE_TRANSFER_LEADS = "、线索{leads}条"

SUMMARY = {
    "text": "文字：{content}",
    "location": "位置：{label}",
    "event:subscribe": "关注{scene}",
    "event:unsubscribe": "取消关注",
    "event:scan": "扫码{scene}",
    "event:click": "点击菜单：{event_key}",
    "event:view": "打开链接：{event_key}",
    "event:location": "上报位置",
}
SUMMARY_OTHER = "消息（{kind}）"
MENU_NAMES = {MENU_MY_MANAGER: "我的客户经理", MENU_APPOINTMENT: "预约", "TALK": "人工服务"}


def menu_name(key: str) -> str:
    """Name a menu button by its key (the product menus by their category), else the key."""
    return MENU_NAMES.get(key) or PRODUCT_MENUS.get(key) or key


REPLY_SUMMARY = "回复：{content}"


def manager_line(card: ManagerCard) -> str:
    """Describe the customer's manager in one sentence."""
    return MANAGER_LINE.format(branch=card.branch_name, name=card.name, title=card.title)


def welcome(card: ManagerCard | None, returning: bool) -> str:
    """Greet a new (or returning) follower, naming their manager when there is one."""
    greeting = WELCOME_BACK if returning else WELCOME
    body = manager_line(card) + MY_MANAGER_HINT if card else NO_MANAGER_YET
    return greeting + body


def my_manager(card: ManagerCard | None) -> str:
    """Answer "我的客户经理"."""
    return manager_line(card) if card else NO_MANAGER


# Posters (`branchlink posters`): defaults for the [posters] texts.
POSTER_SLOGAN = "扫码关注，专属客户经理一对一服务"
POSTER_CAMPAIGN_LINE = "活动期间扫码关注，享专属服务礼遇"
POSTER_FOOTER = "本海报仅用于客户关注公众号，不构成任何产品推荐或收益承诺"


# Products: automated answers. Never promise returns (see crm_core.model.compliance) and never
# tie anything to sharing: the disclosures below are required wording, not to be shortened.
DETAILS_COMMAND = "详情"
INTEREST_COMMAND = "我要预约"
PERSONALISE_OFF_COMMAND = "关闭个性化推荐"
PERSONALISE_ON_COMMAND = "开启个性化推荐"
# Marketing opt-out and its reversal (every channel: mass sends, messages, calls).
OPT_OUT_KEYWORDS = ("退订", "TD", "td", "Td")
OPT_IN_COMMAND = "订阅"
PRODUCT_MENUS = {"PRODUCTS_WEALTH": "理财", "PRODUCTS_DEPOSIT": "存款", "PRODUCTS_LOAN": "贷款",
                 "PRODUCTS_CARD": "信用卡", "PRODUCTS_FUND": "基金", "PRODUCTS_INSURANCE": "保险"}
AUTOMATED = "【自动回复】"
RISK_DISCLOSURE = "理财非存款、产品有风险、投资须谨慎"
PAST_PERFORMANCE_DISCLOSURE = "过往业绩不代表其未来表现"
# The card WeChat shows when a product page is forwarded (JS-SDK share data): disclosures first.
SHARE_DISCLOSURE_JOIN = "；"
SHARE_DESC = "{disclosures}。{summary}"
SHARE_TIMELINE_TITLE = "{name}｜{disclosures}"  # Moments show no description: only the title
RATE_LABELS = {"贷款": "年化利率", "信用卡": "年化利率", "存款": "利率"}
RATE_LABEL_DEFAULT = "业绩比较基准"
PRODUCT_LINE = "{n}. {name}（{code}）风险等级R{risk}｜{rate_label}：{rate}"
PRODUCT_TERM = "｜期限：{term}"
LIST_HEADER = "为您找到以下产品："
LIST_HEADER_GENERIC = "以下为通用结果（未参考您的个人信息）："
LIST_FOOTER = "回复「详情 产品代码」查看详情，回复「我要预约 产品代码」由客户经理联系您。"
PAST_PERFORMANCE = "过往业绩：{text}"
PAST_PERFORMANCE_OF = "{name}过往业绩：{text}"  # in a list, which product it is
WITHHELD = "另有{count}款产品的风险等级高于您的风险承受能力，暂不向您推荐。"
NO_ASSESSMENT = "您还没有有效的风险承受能力评估，投资类产品暂不向您推荐。"
EXPIRED_ASSESSMENT = "您的风险承受能力评估（{date}）已超过有效期，投资类产品暂不向您推荐。"
ABOVE_ASSESSMENT = ("该产品风险等级为R{risk}，高于您的风险承受能力评估结果（C{level}），"
                    "暂不向您推荐。")
HOW_TO_ASSESS = ("您可携带身份证到任一网点完成风险承受能力评估（首次购买须在网点完成），"
                 "或回复「联系客户经理」预约。")
NOT_FOUND = ("抱歉，暂时没有找到与您的问题相符的产品。"
             "您可以回复「理财」「存款利率」「贷款」「信用卡」查看在售产品，"
             "或回复「联系客户经理」，由您的客户经理为您解答。")
# When unsure which product a question means: up to three numbered choices, or the manager.
CHOICE_REPLIES = ("1", "2", "3")
CHOICES_HEADER = "您是想了解以下哪一项？回复 {numbers}："
CHOICE_LINE = "{n}. {label}"
CHOICE_PRODUCT = "{name}（{code}）"
CHOICES_FOOTER = "都不是？回复「联系客户经理」，由您的客户经理为您解答。"
DETAILS_USAGE = "请发送「详情 产品代码」，例如「详情 WM001」。"
DETAILS_UNKNOWN = "没有找到产品代码「{code}」，请核对后重试。"
DETAILS_UNAVAILABLE = ("该产品目前不在您所在网点的销售范围内或不在销售期，"
                       "回复「联系客户经理」了解更多。")
PRIVATE_PLACEMENT = "该产品仅面向合格投资者，不公开宣传。如需了解，请回复「联系客户经理」。"
DETAIL_TEXT = "{name}（{code}）\n类别：{category}｜风险等级：R{risk}\n{rate_label}：{rate}"
DETAIL_MORE = "\n期限：{term}"
DETAIL_MIN = "\n起购金额：{amount}元"
INTEREST_USAGE = "请发送「我要预约 产品代码」，例如「我要预约 WM001」。"
INTEREST_CONFIRMED = ("已收到您对「{product}」的咨询预约，"
                      "{who}会尽快与您联系（一般在{hours}小时内）。")
INTEREST_AGAIN = "您对「{product}」的咨询预约已经收到，{who}会尽快与您联系，请耐心等待。"
INTEREST_NO_MANAGER = "已收到您对「{product}」的咨询预约，我们会尽快安排客户经理与您联系。"
PERSONALISE_OFF = ("已关闭个性化推荐：今后的产品回答不再参考您的个人信息排序"
                   "（风险评估仍用于合规把关）。回复「开启个性化推荐」可恢复。")
PERSONALISE_ON = "已开启个性化推荐。回复「关闭个性化推荐」可随时关闭。"
OPT_OUT = ("已为您退订营销消息：今后不再通过微信、电话或上门向您推送营销信息，"
           "服务通知（如交易提醒）不受影响。如需恢复，请回复「订阅」。")
OPT_IN = "已恢复接收营销消息。回复「退订」或「TD」可随时退订。"
OPT_IN_ALREADY = "您目前可以正常接收营销消息，无需重新订阅。回复「退订」或「TD」可随时退订。"
NOTICE_SHARE_OPENS = "被打开{opens}次"
# The follow and interest QR codes on product pages, for visitors who do not follow us yet.
FOLLOW_PROMPT = "长按识别二维码，关注本行公众号"
FOLLOW_BENEFIT = "关注后可随时查看产品信息，由专属客户经理为您服务。"
FOLLOW_CODE_ALT = "本行公众号二维码"
FOLLOW_SEARCH = "二维码无法显示时，请在微信中搜索公众号「{name}」并关注。"
FOLLOW_SEARCH_GENERIC = "二维码无法显示时，请在微信中搜索本行公众号并关注。"
INTEREST_PROMPT = ("长按识别二维码关注本行公众号，即可提交对「{product}」的咨询预约，"
                   "客户经理会尽快与您联系。")
INTEREST_SEARCH = "关注后发送「我要预约 {code}」，同样可以预约。"
# What a product page or share link answers when it cannot be shown (the public error page).
PAGE_ERROR_TITLE = "无法打开该页面"
PAGE_ERRORS = {404: "链接无效或产品已下架，请向分享给您的人重新获取链接。",
               410: "链接已过期，请向分享给您的人重新获取链接。",
               400: "页面已过期，请返回后刷新页面再试。",
               403: "无法打开该页面，请向分享给您的人重新获取链接。",
               405: "页面打开方式不正确，请重新点击分享给您的链接。",
               413: "提交的内容过多，请返回后重试。",
               429: "访问过于频繁，请稍等一分钟后再试。",
               500: "系统出了点问题，请稍后重试。",
               503: "系统繁忙，请稍后重试。"}
PAGE_ERROR_OTHER = "系统繁忙，请稍后重试。"
PAGE_ERROR_HINT = "您也可以在微信中打开本行公众号，回复「联系客户经理」。"


def follow_search(account_name: str | None) -> str:
    """Tell a visitor how to find the account when its QR code cannot be shown."""
    return FOLLOW_SEARCH.format(name=account_name) if account_name else FOLLOW_SEARCH_GENERIC


def interest_received(product: str, card: ManagerCard | None, again: bool,
                      sla_minutes: int) -> str:
    """Confirm a request about a product, naming who will contact the customer."""
    if card is None:
        return INTEREST_NO_MANAGER.format(product=product)
    template = INTEREST_AGAIN if again else INTEREST_CONFIRMED
    return template.format(product=product, who=f"{card.branch_name}的{card.name}",
                           hours=max(1, sla_minutes // 60))


NOTICE_SOURCE_PRODUCT = "产品咨询{product}"

# Staff console: what the pages and their flashes say.
HTTP_ERRORS = {
    400: "请求无效，请刷新后重试（页面停留过久时表单会过期）。",
    401: "请先登录。",
    403: "您无权查看该内容或执行该操作。如确需办理，请联系网点负责人或总行。",
    404: "页面不存在，或该记录已不存在、编号有误。请从列表中重新选择。",
    405: "该地址不能这样打开，请从菜单进入相应页面。",
    409: "该操作与当前状态冲突，请刷新后查看最新状态。",
    422: "提交的内容有误，请检查后重试。",
    429: "操作过于频繁，请稍等一分钟后再试。",
    500: "系统出错了，此问题已记录。请稍后重试；如仍出错，请联系运维人员。",
    503: "系统暂时不可用，请稍后重试。",
}
HTTP_ERROR_TITLES = {400: "请求无效", 401: "请先登录", 403: "无权访问", 404: "页面不存在",
                     405: "访问方式不正确", 409: "状态已变化", 413: "内容过大",
                     422: "内容有误", 429: "操作过于频繁", 500: "系统出错",
                     503: "暂时不可用"}
HTTP_ERROR_TITLE_OTHER = "出错了"
HTTP_ERROR_OTHER = "系统繁忙，请稍后重试。"
# The staff API's refusals in Chinese (its JSON error's message).
API_UNAUTHORIZED = "需要有效的 API 令牌（请求头 Authorization: Bearer 令牌）。"
API_HEADS_ONLY = "只有网点负责人和总行可以调用该接口。"
API_UNKNOWN_STATUS = "不认识的状态 {status}，可选：{choices}。"
API_HTTP_ERRORS = {
    400: "请求无效，请检查请求的格式和参数。",
    403: "无权访问该记录或接口（不在您的管辖范围内）。",
    404: "找不到该记录或接口，请核对编号和地址（接口说明见 /api/v1/openapi.json）。",
    405: "该接口不支持此请求方法，请查看 /api/v1/openapi.json。",
    409: "该操作与记录的当前状态冲突，请重新查询后再试。",
    429: "请求过于频繁，请稍后再试。",
    500: "系统出错了，此问题已记录，请稍后重试。",
    503: "系统暂时不可用，请稍后重试。",
}
TOO_LARGE = "上传的文件或提交的内容过大（上限 {limit}），请拆分或删减后重试。"
LOGIN_REQUIRED = "请先登录"
LOGIN_FAILED = "用户名或密码错误，或尝试次数过多，请稍后再试。"
LEAD_UPDATED = "线索已更新。"
ASSESSMENT_RECORDED = "已记录风险承受能力评估：C{level}（{day}）。"
TRANSFER_REFUSED = "无法转移：{reason}"
# Why a transfer was refused, by the refusal's code; {detail} names the manager, ids or token.
TRANSFER_REFUSALS = {
    "target_unavailable": "客户经理 {detail} 不在岗或与转出经理相同，不能接收客户。",
    "no_customers": "请填写要转移的客户编号，或选择“全部客户”。",
    "all_and_list": "已选择“全部客户”，请清空客户编号；或取消“全部客户”，只转移所填客户。",
    "not_theirs": "客户 {detail} 不是转出客户经理名下的客户，本次未转移任何客户。",
    "bad_token": "客户编号“{detail}”无效：请只填写数字编号，用逗号、顿号或空格分隔。",
    "changed": "预览之后客户名单有变化，请重新预览并确认。",
}
NOTE_REFUSED = "备注最多{limit}个字，且不能含有控制字符。"
# The staff API's refusals of its input, by reason; {field} names the field or parameter.
API_UNAVAILABLE = "数据库暂时不可用，请稍后重试。"
API_NOT_AN_OBJECT = "请求体必须是 JSON 对象（Content-Type: application/json）。"
API_NOT_A_CHOICE = "字段 {field} 只能是 {choices} 之一。"
API_FIELD_ERRORS = {
    "required": "缺少字段 {field}。",
    "unknown": "不认识的字段 {field}。",
    "unknown_parameter": "不认识的查询参数 {field}。",
    "not_text": "字段 {field} 必须是字符串。",
    "not_flag": "字段 {field} 必须是 true 或 false。",
    "not_ids": "字段 {field} 必须是编号（正整数）的列表。",
    "control": "{field} 含有控制字符（如 NUL）。",
    "surrogate": "{field} 含有无效的 Unicode 字符（孤立的代理项）。",
    "too_long": "{field} 最多 {limit} 个字符。",
    "not_a_page": "{field} 须为 1 至 10000 的整数。",
    "not_number": "字段 {field} 必须是 0 至 {limit} 的整数。",
}
TRANSFER_DONE = "已转移 {moved} 位客户。"
NOTICE_REQUEUED = "已重新排队发送。"
NOTICE_NOT_RETRYABLE = "通知 {id} 当前为“{status}”，只有“失败”或“已放弃”的通知可以重发。"
NOTICE_OUTCOME_UNKNOWN = ("通知 {id} 的发送结果未知，可能已经送达；为避免重复发送，不能在此重发。"
                          "请先向接收人核实，确认未收到后，请运维人员在命令行执行 "
                          "branchlink outbox retry {id}。")
CODE_FAILED = "无法生成二维码：{reason}"
# Why a scene was refused, by the refusal's code (console and `branchlink codes issue`).
CODE_REFUSALS = {
    "manager_elsewhere": "客户经理 {manager} 不在 {branch} 任职，二者不能印在同一个二维码上。",
    "out_of_scope": "{subject} 不在您的管辖范围内，不能为其生成二维码。",
}
CODE_READY = "二维码 {scene} 已就绪。"
IMPORT_HEAD_OFFICE_ONLY = "只有总行可以导入产品"
IMPORT_PICK_FILE = "请选择 .csv 或 .toml 文件"
IMPORT_DONE = "导入完成：新增 {created}，更新 {updated}，未变 {unchanged}。"
STAFF_DEACTIVATED = "已停用账号 {username}：其登录会话已全部结束，{tokens} 个 API 令牌已吊销。"
STAFF_REACTIVATED = "已恢复账号 {username}，可重新登录；原 API 令牌仍然无效。"
STAFF_TOKENS_REVOKED = "已吊销 {username} 的 {count} 个 API 令牌。"
STAFF_NOT_SELF = "不能停用自己的账号，请由另一位总行同事操作。"


def too_large(limit_bytes: int) -> str:
    """Tell staff that what they sent is over the page's size cap, and what the cap is."""
    mib = 1024 * 1024
    limit = f"{limit_bytes // mib} MB" if limit_bytes >= mib else f"{limit_bytes // 1024} KB"
    return TOO_LARGE.format(limit=limit)


def size_label(limit_bytes: int) -> str:
    """Say a file size cap as staff read it: "1.9 MB", "195 KB"."""
    mib = 1024 * 1024
    if limit_bytes < mib:
        return f"{limit_bytes // 1024} KB"
    return f"{limit_bytes / mib:.1f}".removesuffix(".0") + " MB"


def manager_named(card: ManagerCard) -> str:
    """Name a manager to a customer: branch and name (上海分行营业部的张伟)."""
    return f"{card.branch_name}的{card.name}"


# Record pages, pickers and transfers in the console.
CUSTOMER_RENAMED = "已将客户名称改为“{name}”。"
CUSTOMER_NAME_REFUSED = "客户名称须为 1–50 个字，且不能含有控制字符。"
PHONE_RECORDED = "已记录手机号（尾号 {last4}），已加密保存。"
PHONE_REFUSED = "手机号无效：请填写 11 位大陆手机号（以 13–19 开头）。"
NOTE_ADDED = "备注已保存。"
NOTE_EMPTY_OR_LONG = "备注须为 1–{limit} 个字，且不能含有控制字符。"
RECORD_READ_ONLY = "总行账号只能查看客户资料，不能修改；请由网点同事操作。"
SHARE_LINK_READY = ("已生成“{product}”的分享链接，复制后发给客户即可；"
                    "客户转发带来的打开和预约会记在该客户名下。")
SHARE_PICK_PRODUCT = "请从列表中选择一个可分享的产品（私募产品不能分享）。"
LEAD_STATUS_KEPT = "保持“已联系”，只记备注"
LEAD_NOTE_ONLY = "已记录备注。"
TRANSFER_UNKNOWN_MANAGER = "找不到客户经理“{name}”，请从列表中选择转出和转入的客户经理。"
TRANSFER_OUT_OF_SCOPE = "只能在本网点的客户经理之间转移客户；跨网点转移请联系总行。"
TRANSFER_NONE = "没有需要转移的客户，未做任何变更，也未通知任何人。"
TRANSFER_MOVED = "已转移 {moved} 位客户及其 {leads} 条未结线索；双方客户经理会收到通知。"
CODE_PICK_BRANCH_OR_MANAGER = "请选择网点或客户经理（至少一项）。"
CODE_BAD_CAMPAIGN = "活动代码只能是 1–24 位字母、数字、“-”或“_”。"
CODE_UNKNOWN_CHOICE = "找不到所选的网点或客户经理“{name}”，请从列表中选择。"
LEAD_PICK_STATUS = "请选择下一步；只记备注时请填写备注。"

# Learning from the misses (console, head office): adding a synonym, a need or an FAQ entry.
LEARN_KINDS = {"synonym": "加同义词", "need": "加需求", "faq": "加常见问题"}
LEARN_ADDED = {"synonym": "同义词", "need": "需求"}
LEARN_SAVED = {
    "synonym": "已添加同义词“{subject}”，各服务进程将在下一个问题时使用新词表。",
    "need": "已添加需求“{subject}”的词，各服务进程将在下一个问题时使用新词表。",
    "faq": "已添加常见问题“{subject}”（第 1 版），各服务进程将在下一个问题时使用。",
}
LEARN_FIELDS = {"term": "客户的说法", "canonical": "标准词", "name": "需求名称",
                "asked": "客户怎么说", "served": "产品文字中的词", "key": "编号", "topic": "主题",
                "question": "问题", "answer": "回答", "keywords": "触发短语"}
# Why an addition was refused, by the refusal's code; {field}, {detail}, {word}, {concept}
# and {limit} come from the refusal.
LEARN_REFUSALS = {
    "required": "请填写“{field}”。",
    "bad_word": "“{detail}”不是一个词：每个词最多 16 个字，不能含空格或控制字符。",
    "banned": "含有禁用语“{detail}”，不能保存。",
    "same_word": "客户的说法和标准词不能相同（“{detail}”）。",
    "too_many": "“{field}”最多填写 20 个词。",
    "too_long": "“{field}”最多 {limit} 个字。",
    "key_or_topic": "编号只能由 2–64 位小写字母、数字、- 或 _ 组成，主题须为术语、披露、风险等级、"
                    "费用、流程之一。",
    "term_taken": "“{detail}”已经添加过同义词。",
    "term_known": "“{word}”已在词表中（表示“{concept}”），无需再添加。",
    "canonical_unknown": "标准词“{detail}”不在词表中：请填写已有的产品类别或概念，"
                         "如理财、大额存单、房贷。",
    "key_taken": "常见问题编号“{detail}”已存在，请换一个编号。",
}
LEARN_SETS = {"tuning": "调优集", "heldout": "留出集（只评分、不调优）"}
ANSWER_NOT_FOUND = "未找到（建议联系客户经理）"
ANSWER_NONE = "不作产品回答"
ANSWER_FAQ = "常见问题：{question}"
ANSWER_UNSURE = "（不确定，给出选项）"

# Classification (issue 13): the catalogue, extract imports, staff tags.
CLASSIFY_HEAD_OFFICE_ONLY = "只有总行可以导入行内数据或修改分类维度。"
CLASSIFY_BATCHES_HEAD_OFFICE_ONLY = "只有总行可以导入行内数据或查看导入记录。"
CLASSIFY_API_REJECTED = "文件有不合格的行，已全部未导入：请按 rows 中的行号和原因改正后重新上传。"
CLASSIFY_PICK_FILE = "请选择 .csv 或 .xlsx 文件。"
CLASSIFY_IMPORT_DONE = ("导入完成：共 {rows} 行，匹配到已关注客户 {matched} 人，"
                        "尚未关注公众号 {unmatched} 人。")
CLASSIFY_UNMATCHED_BRANCHES = "尚未关注公众号的客户按网点：{branches}。"
CLASSIFY_NO_BRANCH = "未填网点"
DIMENSION_SAVED = "已保存“{name}”的说明。"
DIMENSION_UNCHANGED = "内容没有变化。"
TAG_ADDED = "已添加标签“{tag}”。"
TAG_EXISTS = "客户已有标签“{tag}”。"
TAG_REMOVED = "已删除标签“{tag}”。"
TAG_REFUSED = "标签须为 1–32 个字，不能含控制字符。"
CUSTOMER_NUMBER_RECORDED = "已登记客户号（只保存其加密指纹，行内数据导入时据此匹配）。"
TAG_READ_ONLY = "只有客户经理和网点负责人可以给本人权限内的客户打标签。"

# Conversations with a person (人工): the words that open one, and what the customer is told.
TALK_KEYWORDS = ("人工", "转人工", "找客户经理", "人工客服")
MENU_TALK = "TALK"
TALK_OPENED = ("已为您转接{who}，请直接发送您的问题（文字、图片、语音或位置均可），"
               "{who}会在这里回复您。")
TALK_OPENED_QUEUE = ("已为您转接在线客服，请直接发送您的问题（文字、图片、语音或位置均可），"
                     "客服会按先后顺序尽快回复您。")
TALK_AGAIN = "您的会话仍在进行中，请直接发送消息，{who}会在这里回复您。"
TALK_AFTER_HOURS = "现在是非营业时间，{when} 起会有人回复您，您可以先留言。"
TALK_SERVICE = "在线客服"
TALK_MANAGER = "您的客户经理{name}"
TALK_FROM_FALLBACK = "这个问题我暂时答不好，已为您转接人工服务。"
TALK_RATED = "感谢您的评价！"
TALK_RATING_REQUEST = "本次服务已结束。请回复数字 1–5 为本次服务评分（5 为非常满意）。"
TALK_SYSTEM = {"rating_request": TALK_RATING_REQUEST}
TALK_REPLY_WAITING = "您的客户经理回复了您"
TALK_PAGE_TITLE = "客户经理的回复"
TALK_PAGE_EMPTY = "暂时没有新的回复。"
TALK_PAGE_REFUSED = "请在微信中打开此链接查看回复。"
TALK_PAGE_IMAGE = "客户经理发给您的图片"
TALK_PAGE_IMAGE_HIDDEN = "［图片］请在微信中打开此链接查看。"
WEEKDAYS = "一二三四五六日"


def talk_when(at: datetime) -> str:
    """Say a local opening time as "周一 09:00"."""
    return f"周{WEEKDAYS[at.weekday()]} {at:%H:%M}"


NOTICE_TALK_WAITING = "客户等待您回复"
NOTICE_TALK_ESCALATION = "会话超时无人回复"
# Conversations in the console.
TALK_REFUSALS = {
    "empty": "请输入回复内容。",
    "too_long": "回复最多 {detail} 个字，请分几条发送。",
    "banned_phrase": "回复中含有违规用语“{detail}”（承诺保本或收益的说法），请修改后再发送。",
    "closed": "会话已结束，如需继续请先“重新打开”。",
    "unknown_staff": "找不到可接待客户的员工“{detail}”（须为客户经理或在线客服账号）。",
    "bad_note": "备注须为 1–{detail} 个字。",
    "newer_open": "该客户已有进行中的会话，请在那里继续。",
    "unknown_branch": "找不到网点代码“{detail}”，请核对后重试。",
    "bad_hours": "营业时间“{detail}”无效：星期写 1–7 的数字，时间写成 09:00 的格式，开门早于关门。",
    "bad_title": "快捷回复的标题须为 1–{detail} 个字。",
}
TALK_SENT = {"custom": "已发送。",
             "page": "客户已超过 48 小时未发消息：回复已保存，并已通知客户点击查看。"}
TALK_DELIVERY = {"pending": "发送中", "sending": "发送中", "sent": "已送达", "delivered": "已送达",
                 "failed": "未送达", "unknown": "结果未知", "dead": "未送达", "held": "待发送"}
TALK_FAILED_CODES = {43004: "客户已取消关注，未送达",
                     45015: "已超出客服消息时限或客户已取消关注，未送达"}
TALK_PRESENCE = {"online": "在线", "busy": "忙碌", "away": "离开"}
TALK_REASONS = {"own_manager": "客户经理在线", "delegate": "客户经理不在，由代理人接待",
                "queue": "进入在线客服队列", "picked": "从队列接起", "transfer": "转交",
                "escalated": "超时上报"}
TALK_TABS = {"waiting": "等待回复", "open": "进行中", "closed": "已结束"}
TALK_FIGURES_TAB = "服务统计"
TALK_FIGURE_MINUTES = "{minutes:.1f} 分钟"
TALK_FIGURE_COLUMNS = {
    "name": "员工", "conversations": "接待会话", "answered": "首次回复",
    "first_response_seconds": "平均首次响应", "first_response_business_seconds": "其中营业时间内",
    "resolved": "解决会话", "resolution_seconds": "平均解决用时",
    "resolution_business_seconds": "其中营业时间内",
    "handling_business_seconds": "平均接待（营业时间）",
    "ratings": "评价数", "rating": "平均评分"}
TALK_FIGURES_NOTE = ("统计最近 {days} 天发起的会话：首次响应记给最先回复的人，"
                     "解决用时和评分记给结束时接待的人；“营业时间内”只计网点营业时间。")
TALK_EXPORT_COLUMNS = ("编号", "时间（北京时间）", "发送方", "员工", "类型", "内容", "送达")
TALK_AUTHORS = {"customer": "客户", "staff": "银行", "system": "系统"}
TALK_MEDIA_REFUSED = {"too_large": "图片超过 {limit} MB，未保存，请让客户压缩后重新发送。",
                      "bad_type": "只保存 JPG、PNG、GIF 图片，这个文件的类型不支持。"}
TALK_MEDIA_UNAVAILABLE = "暂时无法从微信取回这张图片（可能已过期），请稍后再试。"
TALK_IMAGE = "［图片］"
TALK_IMAGE_MISSING = "请先选择要发送的图片。"
TALK_IMAGE_REFUSED = {"too_large": "图片超过 {limit}，未发送，请压缩或截图后再发。",
                      "bad_type": ("只能发送 JPG、PNG、GIF 图片，这个文件不是图片或格式不支持，"
                                   "未发送。")}
TALK_PRODUCT_WITHHELD = ("该产品高于客户有效的风险评估等级（或客户尚未评估、评估已过期），"
                         "按适当性要求不能发送。")
TALK_PRODUCT_UNKNOWN = "找不到可向客户发送的产品“{code}”（代码有误、已停售或为私募产品）。"
# Organisations, trade chains and referrals between staff (console and CLI).
ORG_IMPORT_HEAD_OFFICE_ONLY = "只有总行可以导入单位和联系人"
ORG_IMPORT_PICK_FILE = "请选择 .csv（UTF-8 或 GBK）或 .xlsx 文件"
ORG_IMPORT_DONE = "导入完成：新增 {created}，更新 {updated}。"
# What a referral notice says happened (the payload's event, up to its first "-").
REFERRAL_EVENTS = {
    "submitted": "{referrer}转介给您，请接收", "assigned": "网点负责人将{referrer}的转介分配给您",
    "accepted": "{receiver}已接收您的转介", "declined": "{receiver}未接收您的转介",
    "contacted": "{receiver}已联系客户", "qualified": "{receiver}确认为有效商机",
    "converted": "您转介的客户已成交", "not_converted": "{receiver}反馈未成交",
    "expired": "转介已超期关闭", "reminder": "转介待处理，已到时限",
    "escalation": "转介超时未处理（{receiver}）", "settled": "网点负责人裁定转介归属于您",
}


def referral_event(payload: dict[str, object]) -> str:
    """Say in words what happened to a referral, from a notice's payload."""
    event = str(payload.get("event", "")).split("-")[0]
    template = REFERRAL_EVENTS.get(event, "转介有更新")
    return template.format(referrer=payload.get("referrer") or "同事",
                           receiver=payload.get("receiver") or "待分配")


# A manager refers a customer from their own WeChat: 转介 <客户编号或单位代码> <条线> [备注]
REFERRAL_COMMAND = "转介"
REFERRAL_USAGE = ("请发送「转介 客户编号或单位代码 条线 备注」，条线为 零售、财富、信贷 或 对公，"
                  "例如：转介 1024 对公 开了三家店想办结算。客户编号见工作台的客户页。")
REFERRAL_NOT_MANAGER = "只有绑定了微信的客户经理可以转介客户。"
REFERRAL_DONE = "已转介：{subject} → {receiver}（转介编号 {id}），对方处理后会通知您。"
REFERRAL_QUEUE = "{branch}待分配（网点负责人会尽快分配）"
REFERRAL_MADE = "已提交转介，接收人会收到通知。"
REFERRAL_UPDATED = "转介已更新。"
# The filter's own first choice, 全部, shows every referral the reader sees.
REFERRAL_BOXES_MANAGER = {"received": "我接收的", "sent": "我转出的"}
REFERRAL_BOXES_HEAD = {"queue": "待分配"}
# Scorecards (考核): metric names as cards show them, and the payroll file's columns.
METRIC_NAMES = {
    "profit": "模拟利润", "deposits": "存款日均", "loans": "贷款日均", "aum_growth": "资产增长",
    "loan_growth": "个贷业务拓展", "deposit_loan": "存贷比管理", "asset_quality": "资产质量",
    "bad_ratio": "逾期及不良率", "customers": "有效客户", "quality": "管户客户品质",
    "families": "产品覆盖", "fees": "中间业务收入", "events": "业务成果",
    "new_customers": "新增绑定客户", "referral_credit": "转介贡献",
    "leads_in_sla": "时限内联系线索", "leads_converted": "线索成交", "talk_answered": "会话应答率",
    "talk_rating": "会话评分", "campaign_follows": "活动带来关注", "campaign_leads": "活动带来线索",
    "campaign_conversions": "活动带来成交", "share_follows": "分享带来关注",
    "share_leads": "分享带来线索",
    "complaints": "投诉成立扣分", "suitability": "适当性违规扣分",
}
# Where a card line's figure came from (BranchLink's own records; the rest is the book).
SOURCE_ROWS = {"touches": "扫码关注记录", "leads": "线索", "share_events": "分享记录",
               "referrals": "转介", "links": "客户绑定记录", "conversations": "会话记录",
               "book": "导入的业务数据", "complaints": "投诉登记",
               "suitability_overrides": "适当性突破登记"}
SCORE_METHODS = {"completion": "完成率", "rank": "平台排名", "penalty": "扣分"}
BOOK_KINDS = {"deposit": "存款", "loan": "贷款", "fee": "中收", "event": "事件"}
SCORECARD_DONE = {"run": "已重新计算 {month} 的考核卡（草稿）。",
                  "approve": "已审批 {month} 的考核卡：本月已冻结，不能再导入或重算。"}
TEMPLATE_UNREADABLE = "考核模板文件无法读取：请保存为 UTF-8 编码的 TOML 文件，并检查引号和方括号。"
SCORECARD_IMPORTED = "已导入 {month}：{count} 行。月份仍为草稿，请重新计算考核卡。"
COMPLAINT_RECORDED = "已登记第 {id} 号投诉，待网点负责人或总行认定。"
COMPLAINT_DECIDED = "已认定第 {id} 号投诉；投诉成立的，将在该月考核卡重新计算时扣分。"
REGISTER_OUT_OF_SCOPE = ("这位客户经理不在您的管辖范围内：网点负责人只能登记本网点客户经理的记录，"
                        "客户经理只能登记本人的适当性突破，总行条线账号只能登记本条线的。")
OVERRIDE_RECORDED = "已登记第 {id} 号适当性突破；将在该月考核卡重新计算时扣分。"
SCORECARD_NOT_FOUND = "找不到这张考核卡，或它不在您的权限范围内。"
PAYROLL_COLUMNS = ("客户经理代码", "姓名", "网点", "条线", "考核得分", "模拟利润", "绩效薪酬",
                   "当期发放", "递延（按年）", "可追索扣回")
REFERRAL_LINES = {"retail": "零售", "wealth": "财富", "loan": "信贷", "corporate": "对公"}
API_MANAGERS_ONLY = "只有客户经理可以转介客户或推进转介。"
API_REFERRAL_SUBJECT = "请给出 customer_id 或 organisation 之一。"
NOTICE_SOURCE_CHAIN = "链条营销线索"
CHAIN_LEADS_MADE = "已生成 {created} 条链条线索（另有 {open} 家单位已有未结线索，未重复生成）。"
RELATIONSHIP_SAVED = "交易关系已保存。"
RELATIONSHIP_REFUSED = "交易关系没有保存：{reason}"
CHAIN_LEAD_MOVED = "链条线索“{name}”已更新为“{status}”。"
