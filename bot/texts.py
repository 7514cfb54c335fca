"""Every sentence customers and staff read, in one place (Simplified Chinese)."""

from crm_core.services import ManagerCard

MY_MANAGER_KEYWORDS = ("我的客户经理", "客户经理", "我的经理")
MENU_MY_MANAGER = "MY_MANAGER"

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
