"""Every sentence customers and staff read, in one place (Simplified Chinese)."""

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
NOTICE_SOURCE = {"direct": "直接关注", "contact_request": "联系客户经理",
                 "menu_appointment": "菜单预约", "product_interest": "产品咨询"}
NOTICE_DIGEST = "待跟进{open}条"
NOTICE_OVERDUE = "已超时{overdue}条"
NOTICE_ESCALATION = "{manager}未跟进"
NOTICE_TRANSFER_IN = "转入客户{count}位"
NOTICE_TRANSFER_OUT = "转出客户{count}位"

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
