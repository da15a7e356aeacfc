"""The rule kinds of issue 12 as people see them: kpi show, kpi explain and the printed forms."""

from __future__ import annotations

import re
from pathlib import Path

KINDS = "examples/kinds"


def _args(kind: str) -> list[str]:
    return [f"{KINDS}/{kind}/log-2026-10.csv", "--rubric", f"{KINDS}/{kind}/rubric.yaml",
            "--roster", f"{KINDS}/{kind}/roster.csv"]


def _form_text(invoke, kind: str, employee: str, tmp_path: Path) -> str:
    out = tmp_path / "forms.html"
    result = invoke("forms", *_args(kind), "--output", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    start = html.index(f'id="form-{employee}"')
    page = html[start:html.index("</section>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_show_marks_role_rules_and_item_raters(invoke) -> None:
    result = invoke("show", f"{KINDS}/roles/rubric.yaml")
    assert result.exit_code == 0, result.output
    text = re.sub(r"[\s│]+", "", result.stdout)
    assert "走访户数不够(走访不足)[仅园区客服助理]" in text
    assert "[仅前台客服助理]" in text
    assert "评分(由评分人打分:直接上级×60%+物业经理×40%)" in text


def test_explain_says_which_rules_are_not_for_the_role_and_who_rates(invoke) -> None:
    result = invoke("explain", *_args("roles"), "--employee", "K01")
    assert result.exit_code == 0, result.output
    text = re.sub(r"[\s│]+", "", result.stdout)
    assert "不适用于本岗位:前台主动沟通不足[仅前台客服助理]" in text
    assert "本项评分人:直接上级×60%+物业经理×40%" in text
    assert "加权:9×0.6+7×0.4=8.2" in text
    assert "总分22.9" in text


def test_forms_list_only_the_rules_of_the_role_and_dash_other_raters(invoke, tmp_path: Path) -> None:
    k01 = _form_text(invoke, "roles", "K01", tmp_path)
    assert "走访户数不够: 扣2分/次" in k01 and "前台主动沟通不足" not in k01
    # 业务水平: 直接上级 9, 间接上级 does not rate it (—), 物业经理 7, score 8.2
    assert "评分: 直接上级×60% + 物业经理×40% 无 10 9 — 7 8.2" in k01
    k02 = _form_text(invoke, "roles", "K02", tmp_path)
    assert "前台主动沟通不足: 扣2分/次" in k02 and "走访户数不够" not in k02


def test_show_words_escalation_rule_wipe_and_floor(invoke) -> None:
    result = invoke("show", f"{KINDS}/counts/rubric.yaml")
    assert result.exit_code == 0, result.output
    text = re.sub(r"[\s│]+", "", result.stdout)
    assert "第1次扣1分,第2次扣2分,第3次起每次扣5分" in text
    assert "扣4分/次;当月2次以上该项全扣" in text
    assert "按完成比例计分(目标100%,低于80%得0分)" in text


def test_explain_shows_each_escalation_step_and_the_rule_wipe(invoke) -> None:
    q01 = re.sub(r"[\s│]+", "", invoke("explain", *_args("counts"), "--employee", "Q01").stdout)
    assert "迟到3次,逐次加重:1+2+5=8" in q01 and "扣分合计9(4起)" in q01 and "总分19" in q01
    q03 = re.sub(r"[\s│]+", "", invoke("explain", *_args("counts"), "--employee", "Q03").stdout)
    assert "旷工2次≥2次:该项全扣→0" in q03
    q02 = re.sub(r"[\s│]+", "", invoke("explain", *_args("counts"), "--employee", "Q02").stdout)
    assert "79.5%isbelow80%:scores0" in q02


def test_forms_print_escalation_rule_wipe_and_floor(invoke, tmp_path: Path) -> None:
    q01 = _form_text(invoke, "counts", "Q01", tmp_path)
    assert "迟到 3次, 逐次加重: 1 + 2 + 5 = 8" in q01
    assert "迟到: 第1次扣1分, 第2次扣2分, 第3次起每次扣5分" in q01
    q02 = _form_text(invoke, "counts", "Q02", tmp_path)
    assert "收缴完成率 79.5% 低于80%: 0分" in q02
    q03 = _form_text(invoke, "counts", "Q03", tmp_path)
    assert "旷工 2次 ≥ 2次: 该项全扣 → 0" in q03


def test_show_lists_total_deductions_and_vetoes(invoke) -> None:
    result = invoke("show", f"{KINDS}/veto/rubric.yaml")
    assert result.exit_code == 0, result.output
    text = re.sub(r"[\s│]+", "", result.stdout)
    assert "扣总分(不计入单项):有效投诉(投诉)扣5分/次" in text
    assert "一票否决:重大安全责任事故→总分0" in text
    assert "一票否决:伪造考核记录→等级不合格,绩效结果调岗或开除" in text


def test_explain_shows_the_total_deduction_and_the_veto(invoke) -> None:
    g02 = re.sub(r"[\s│]+", "", invoke("explain", *_args("veto"), "--employee", "G02").stdout)
    assert "扣总分2026-10-05有效投诉×3−15" in g02 and "合计:各项100−扣总分15=85" in g02
    g03 = re.sub(r"[\s│]+", "", invoke("explain", *_args("veto"), "--employee", "G03").stdout)
    assert "一票否决:2026-10-22重大安全责任事故电梯困人未上报" in g03
    assert "→总分0(不论计算所得总分100)等级:" in g03  # the total once (not "→ 总分 0 (…) → 总分 0")
    assert "还差" not in g03  # no points lift a vetoed period


def test_forms_print_the_total_deduction_row_and_the_veto(invoke, tmp_path: Path) -> None:
    g02 = _form_text(invoke, "veto", "G02", tmp_path)
    assert "扣总分 从总分中扣除, 不受单项分值限制 有效投诉: 扣5分/次 10-05 有效投诉×3 −15 −15" in g02
    assert "各项得分 100 − 扣总分 15 = 85" in g02
    assert "一票否决: 重大安全责任事故, 一经发生 → 总分 0" in g02  # every form prints the veto rules
    g03 = _form_text(invoke, "veto", "G03", tmp_path)
    assert "一票否决: 重大安全责任事故 (10-22) → 总分 0" in g03 and "☑ 调岗或开除" in g03


def test_results_export_has_the_total_deduction_and_veto_columns(invoke, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    result = invoke("score", *_args("veto"), "--output", str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8-sig").splitlines()
    assert "奖扣分,扣总分,一票否决,总分" in lines[0]
    assert "G02,张伟,翠湖花园项目部,管家,60,40,0,-15,,85.0,合格" in lines[2]


def test_not_applicable_on_screen_and_on_the_forms(invoke, tmp_path: Path) -> None:
    show = re.sub(r"[\s│]+", "", invoke("show", f"{KINDS}/na/rubric.yaml").stdout)
    assert "不适用时:本项不计,总分按适用项目折算" in show and "不适用时:按满分计" in show
    n02 = re.sub(r"[\s│]+", "", invoke("explain", *_args("na"), "--employee", "N02").stdout)
    assert "不适用:本项不计,总分按适用项目折算" in n02
    assert "合计:各项52×100/60(不适用项不计,按适用分值折算)=≈86.6667" in n02 and "总分86.7" in n02
    n03 = re.sub(r"[\s│]+", "", invoke("explain", *_args("na"), "--employee", "N03").stdout)
    assert "不适用:按满分计" in n03
    form = _form_text(invoke, "na", "N02", tmp_path)
    assert "不适用: 本项不计, 总分按适用项目折算 10-01 前台岗位无收缴任务 40 不适用" in form
    assert "各项得分 52 × 100 / 60 (不适用项不计, 按适用分值折算)" in form


def test_team_records_on_screen_and_on_the_forms(invoke, tmp_path: Path) -> None:
    show = re.sub(r"[\s│]+", "", invoke("show", f"{KINDS}/team/rubric.yaml").stdout)
    assert "扣6分/次;部门记录由全部门分摊" in show
    t01 = re.sub(r"[\s│]+", "", invoke("explain", *_args("team"), "--employee", "T01").stdout)
    assert "2026-10-09公共区域卫生不合格−2部门:翠湖花园前台3人分摊大堂检查不合格" in t01
    assert "未参加部门培训−2部门:翠湖花园前台3人各扣" in t01
    form = _form_text(invoke, "team", "T02", tmp_path)
    assert "设备损坏 −≈1.6667 部门:翠湖花园前台 3人分摊 门禁损坏" in form


def test_a_reconstructed_weight_of_an_item_is_marked_and_its_note_printed(invoke, tmp_path: Path) -> None:
    # the roles example with the 物业经理's weight on 业务水平 marked as reconstructed (a weights-map entry)
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text((Path(KINDS) / "roles" / "rubric.yaml").read_text("utf-8").replace(
        "    weights: {zhijie: 0.6, jingli: 0.4}",
        "    weights: {zhijie: 0.6, jingli: {weight: 0.4, reconstructed: 原表未给物业经理的权重}}"), "utf-8")
    validate = invoke("validate", str(rubric))
    assert validate.exit_code == 0 and "is a draft with 1 reconstructed parts" in validate.stdout
    show = re.sub(r"[\s│]+", "", invoke("--lang", "zh", "show", str(rubric)).stdout)
    assert "直接上级×60%+物业经理×40%【重建】" in show
    assert "1.业务水平评分权重物业经理(items[1].weights.jingli):原表未给物业经理的权重" in show
    args = [f"{KINDS}/roles/log-2026-10.csv", "--rubric", str(rubric), "--roster", f"{KINDS}/roles/roster.csv"]
    explain = re.sub(r"[\s│]+", "", invoke("explain", *args, "--employee", "K01").stdout)
    assert "本项评分人:直接上级×60%+物业经理×40%【重建】" in explain and "加权【重建】:9×0.6+7×0.4=8.2" in explain
    # 服务态度 uses the rubric's weights, none of them reconstructed: no mark
    assert "加权:8×0.5+9×0.3+10×0.2=8.7" in explain
    out = tmp_path / "forms.html"
    assert invoke("--lang", "zh", "forms", *args, "--output", str(out)).exit_code == 0
    html = out.read_text("utf-8")
    k01 = html[html.index('id="form-K01"'):]
    k01 = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", k01[:k01.index("</section>")]))
    assert "评分: 直接上级×60% + 物业经理×40% ※" in k01
    assert "草案 · 含重建内容 1 处（标※，说明见末页「重建内容说明」）：公司采用前不是公司制度" in k01
    notes = html[html.index('id="reconstructed-notes"'):]
    notes = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", notes[:notes.index("</section>")]))
    assert "重建内容说明" in notes and "草案 · 含重建内容" in notes  # the mark on this page too
    assert "1 业务水平 评分权重 物业经理 items[1].weights.jingli 原表未给物业经理的权重" in notes


def test_the_receipt_says_where_pay_rises_when_the_next_band_pays_no_more(invoke) -> None:
    """guanjia: 张伟 54.6 is 调岗或开除 (< 80); the next band up, 发放0% (80–90), pays nothing either, so the receipt
    also says where pay starts: 发放50% from 90, 90 − 54.6 = 35.4 points away."""
    out = re.sub(r"\s+", "", invoke("explain", "examples/guanjia-2026-10.csv", "--rubric", "guanjia", "--roster",
                                    "examples/roster.csv", "--employee", "000103").stdout)
    assert "距发放0%(≥80)还差25.4分;距发放50%(≥90,绩效工资发放50%)还差35.4分" in out
    assert "调岗或开除；由人力资源部" in out  # the outcome's action after a full-width semicolon


def test_a_percent_target_reads_as_a_percent(invoke) -> None:
    out = invoke("--lang", "zh", "explain", *_args("counts"), "--employee", "Q01").stdout
    assert "收缴完成率: 90%，目标 100%：20 × 90 / 100 = 18" in out


def test_a_reconstructed_deduction_from_the_total_is_marked_everywhere(invoke, tmp_path: Path) -> None:
    # zhongxin's fee complaint comes off the unit's total; its figure (5) is not in the source: 【重建】 / ※
    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名,部门,岗位\nU01,翠湖花园客户服务中心,翠湖花园项目部,客户服务中心\n", "utf-8")
    log = tmp_path / "log.csv"
    log.write_text("工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注\nU01,2026-10-31,收费完成率,,,100,,,\n"
                   "U01,2026-10-10,收费投诉,1,,,,,\n", "utf-8")
    show = re.sub(r"[\s│]+", "", invoke("show", "zhongxin").stdout)
    assert "扣总分(不计入单项):物业管理费收取业主投诉(收费投诉)[仅客户服务中心、客服处]扣5分/次【重建】" in show
    args = [str(log), "--rubric", "zhongxin", "--roster", str(roster)]
    explain = re.sub(r"[\s│]+", "", invoke("explain", *args, "--employee", "U01").stdout)
    assert "扣总分2026-10-10物业管理费收取业主投诉−5【重建】" in explain
    out = tmp_path / "forms.html"
    assert invoke("forms", *args, "--output", str(out)).exit_code == 0
    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", out.read_text("utf-8")))
    assert "物业管理费收取业主投诉: 扣5分/次 ※" in html
