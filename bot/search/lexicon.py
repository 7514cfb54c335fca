"""The search vocabulary: Chinese terms customers use for banking products (data, not copy).

Each concept maps to the words customers actually type for it. A concept that names a
category stands for the whole category; the others are sub-concepts with a home category.
Extend it from the questions that reach the fallback: that is where the vocabulary is missing.
"""

CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "理财": ("理财", "理财产品", "财富管理", "投资理财", "闲钱", "钱生钱", "净值型", "买理财",
           "稳健型", "银行理财", "打理", "投资"),
    "存款": ("存款", "存钱", "储蓄", "定期", "定存", "活期", "存款利率", "存期", "利息", "存",
           "存点钱"),
    "贷款": ("贷款", "借钱", "借款", "贷", "信贷", "周转", "缺钱", "贷款利率", "借点钱"),
    "信用卡": ("信用卡", "办卡", "卡片", "刷卡", "申卡", "开卡", "信用额度", "贷记卡"),
    "基金": ("基金", "基金产品", "买基金", "公募"),
    "保险": ("保险", "保障", "险种", "买保险", "保单"),
}

CONCEPTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "大额存单": ("存款", ("大额存单", "大额存款", "大额", "存单")),
    "结构性存款": ("存款", ("结构性存款", "结构存款", "结构性")),
    "通知存款": ("存款", ("通知存款", "七天通知", "7天通知")),
    "零存整取": ("存款", ("零存整取", "零存")),
    "外币": ("存款", ("外币", "美元", "外汇", "美金", "港币")),
    "房贷": ("贷款", ("房贷", "住房贷款", "按揭", "买房", "首套房", "公积金", "房子")),
    "车贷": ("贷款", ("车贷", "汽车贷款", "买车", "购车", "汽车")),
    "消费贷": ("贷款", ("消费贷", "消费贷款", "装修", "旅游", "结婚", "装修贷", "消费")),
    "经营贷": ("贷款", ("经营贷", "经营贷款", "小微", "个体户", "做生意", "生意", "进货", "开店")),
    "分期": ("信用卡", ("分期", "账单分期", "分期付款")),
    "白金卡": ("信用卡", ("白金卡", "白金", "高端卡")),
    "联名卡": ("信用卡", ("联名卡", "联名")),
    "留学": ("信用卡", ("留学", "出国", "境外", "海外", "出境")),
    "现金管理": ("理财", ("现金管理", "随用随取", "活钱", "零钱")),
    "定投": ("基金", ("定投", "基金定投", "每月投")),
    "指数基金": ("基金", ("指数基金", "指数", "沪深300", "etf")),
    "债券基金": ("基金", ("债券基金", "债基", "纯债", "债券")),
    "货币基金": ("基金", ("货币基金", "货基")),
    "养老": ("保险", ("养老", "养老金", "退休", "年金", "老人", "老年人", "老年")),
    "重疾": ("保险", ("重疾", "重疾险", "大病", "重大疾病")),
    "医疗险": ("保险", ("医疗险", "医疗", "住院", "百万医疗")),
    "意外险": ("保险", ("意外险", "意外")),
    "教育金": ("保险", ("教育金", "教育", "孩子上学", "子女教育", "读书", "上学", "学费")),
}

# Words that only say "this is a question about a product", without naming one.
INTENT_WORDS = ("利率", "收益", "利息", "产品", "办理", "申请", "购买", "推荐", "额度", "期限",
                "起购", "年化", "手续费", "投资", "业绩", "费率", "门槛", "风险", "认购",
                "赎回", "黄金", "股票", "债")

# Words that carry no meaning for matching.
STOPWORDS = frozenset((
    "我", "想", "要", "请问", "你们", "有没有", "有", "什么", "吗", "呢", "的", "了", "一下",
    "哪些", "怎么样", "怎么", "多少", "介绍", "看看", "能", "可以", "银行", "请", "帮", "查",
    "问", "问问", "现在", "最近", "一个", "一些", "点", "么", "是", "在", "和", "给", "吧",
    "啊", "哪个", "好", "如何", "咨询", "了解", "下", "那个", "这个", "那", "这",
    "怎么办", "呀", "谁", "是谁", "哪里", "用", "什么样", "一张", "张", "办", "相关", "些", "适合",
    "需要", "以后", "产品",
))


def concept_of() -> dict[str, str]:
    """Return {word: concept} for every word in the vocabulary."""
    words = {w: c for c, variants in CATEGORY_WORDS.items() for w in (c, *variants)}
    words.update({w: c for c, (_, variants) in CONCEPTS.items() for w in (c, *variants)})
    return words


def category_of_concept(concept: str) -> str | None:
    """Return the category a concept belongs to (a category is its own)."""
    if concept in CATEGORY_WORDS:
        return concept
    home = CONCEPTS.get(concept)
    return home[0] if home else None
