"""The built-in OKR template library, in Chinese and English: one objective per entry with two
to four key results and example start and target values. `goals.okr_templates.install_library`
copies it into a company; changing an entry here updates the companies' copies on the next
install."""

from dataclasses import dataclass, field
from decimal import Decimal

D = Decimal


@dataclass(frozen=True)
class KeyResultSpec:
    title: str
    title_en: str
    measure_type: str
    start: Decimal
    target: Decimal
    unit: str = ""
    unit_en: str = ""
    milestones: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TemplateSpec:
    key: str
    industry: str
    title: str
    title_en: str
    description: str
    description_en: str
    key_results: tuple[KeyResultSpec, ...] = field(default=())
    kind: str = "committed"


LIBRARY: tuple[TemplateSpec, ...] = (
    TemplateSpec(
        key="saas-user-growth", industry="saas",
        title="让更多团队用起来并留下来", title_en="Get more teams using the product and staying",
        description="以激活和留存驱动订阅收入增长。",
        description_en="Grow subscription revenue through activation and retention.",
        kind="aspirational",
        key_results=(
            KeyResultSpec("周活跃用户数", "Weekly active users", "number", D("8000"), D("15000"),
                          "人", "users"),
            KeyResultSpec("新注册 7 日激活率", "7-day activation rate of sign-ups", "percent",
                          D("25"), D("40"), "%", "%"),
            KeyResultSpec("月度付费流失率", "Monthly paid churn", "percent", D("3.5"), D("2"),
                          "%", "%"),
        )),
    TemplateSpec(
        key="ecommerce-conversion", industry="ecommerce",
        title="提升店铺转化，让每次访问更有价值",
        title_en="Turn more store visits into orders",
        description="优化商品页与结算流程，提高转化率和客单价。",
        description_en="Improve product pages and checkout to lift conversion and basket size.",
        key_results=(
            KeyResultSpec("访问到下单转化率", "Visit-to-order conversion rate", "percent",
                          D("2.1"), D("3"), "%", "%"),
            KeyResultSpec("购物车放弃率", "Cart abandonment rate", "percent", D("70"), D("60"),
                          "%", "%"),
            KeyResultSpec("平均客单价", "Average order value", "currency", D("180"), D("220"),
                          "元", "CNY"),
        )),
    TemplateSpec(
        key="sales-new-revenue", industry="sales",
        title="完成季度新签收入目标", title_en="Hit the quarter's new-business revenue",
        description="扩大有效商机并提高赢单率。",
        description_en="Build a larger qualified pipeline and win more of it.",
        key_results=(
            KeyResultSpec("新签合同额", "New contract value", "currency", D("0"),
                          D("3000000"), "元", "CNY"),
            KeyResultSpec("合格商机数", "Qualified opportunities", "number", D("0"), D("120"),
                          "个", "deals"),
            KeyResultSpec("赢单率", "Win rate", "percent", D("18"), D("25"), "%", "%"),
        )),
    TemplateSpec(
        key="marketing-pipeline", industry="marketing",
        title="用内容和活动带来高质量线索", title_en="Bring in high-quality leads with content and events",
        description="提高市场合格线索数量并降低获客成本。",
        description_en="More marketing-qualified leads at a lower acquisition cost.",
        key_results=(
            KeyResultSpec("市场合格线索（MQL）", "Marketing-qualified leads (MQL)", "number",
                          D("300"), D("600"), "条", "leads"),
            KeyResultSpec("单条线索获客成本", "Cost per lead", "currency", D("400"), D("300"),
                          "元", "CNY"),
            KeyResultSpec("行业白皮书上线", "Industry white paper published", "milestone", D("0"),
                          D("1"), milestones=(("完成选题与调研", "Topic and research done"),
                                              ("完成初稿并评审", "Draft written and reviewed"),
                                              ("正式发布并推广", "Published and promoted"))),
        )),
    TemplateSpec(
        key="customer-success-retention", industry="customer_success",
        title="让客户成功，续约更顺畅", title_en="Make customers successful so they renew",
        description="提升客户健康度、满意度与续约率。",
        description_en="Raise customer health, satisfaction and renewal rate.",
        key_results=(
            KeyResultSpec("净收入留存率（NRR）", "Net revenue retention (NRR)", "percent",
                          D("95"), D("110"), "%", "%"),
            KeyResultSpec("客户满意度（CSAT）", "Customer satisfaction (CSAT)", "number", D("4.2"),
                          D("4.6"), "分", "points"),
            KeyResultSpec("首次响应时间", "First response time", "number", D("8"), D("2"),
                          "小时", "hours"),
        )),
    TemplateSpec(
        key="rnd-delivery", industry="rnd",
        title="更快、更稳地交付产品", title_en="Ship faster and more reliably",
        description="缩短交付周期，减少线上故障。",
        description_en="Shorten lead time and cut production incidents.",
        key_results=(
            KeyResultSpec("需求平均交付周期", "Average lead time of a change", "number", D("14"),
                          D("7"), "天", "days"),
            KeyResultSpec("线上 P1 故障数", "P1 production incidents", "number", D("6"), D("2"),
                          "次", "incidents"),
            KeyResultSpec("自动化测试覆盖率", "Automated test coverage", "percent", D("55"),
                          D("75"), "%", "%"),
            KeyResultSpec("持续部署流水线上线", "Continuous deployment pipeline live", "boolean",
                          D("0"), D("1")),
        )),
    TemplateSpec(
        key="recruiting-hiring", industry="recruiting",
        title="按时招到合适的人", title_en="Hire the right people on time",
        description="保证关键岗位按计划到岗，缩短招聘周期。",
        description_en="Fill key positions on plan and shorten time to hire.",
        key_results=(
            KeyResultSpec("关键岗位到岗人数", "Key positions filled", "number", D("0"), D("12"),
                          "人", "hires"),
            KeyResultSpec("平均招聘周期", "Average time to hire", "number", D("45"), D("30"),
                          "天", "days"),
            KeyResultSpec("Offer 接受率", "Offer acceptance rate", "percent", D("70"), D("85"),
                          "%", "%"),
        )),
    TemplateSpec(
        key="finance-cost", industry="finance",
        title="控制成本，提高资金效率", title_en="Control costs and use cash well",
        description="降低运营费用占比，加快回款。",
        description_en="Lower operating expenses as a share of revenue and collect faster.",
        key_results=(
            KeyResultSpec("运营费用占收入比", "Operating expenses as a share of revenue",
                          "percent", D("38"), D("32"), "%", "%"),
            KeyResultSpec("应收账款周转天数（DSO）", "Days sales outstanding (DSO)", "number",
                          D("75"), D("55"), "天", "days"),
            KeyResultSpec("月度关账天数", "Days to close the month", "number", D("10"), D("5"),
                          "天", "days"),
        )),
)
