"""Tokenisation and TF-IDF similarity of `goals.similarity`, in Chinese and English."""

import subprocess
import sys

from tandem.goals import similarity


def test_english_words_are_lower_cased_stemmed_and_stripped_of_stop_words():
    assert similarity.tokenize("Winning new customers, shipped 3 releases; the company’s "
                               "revenues grow") == [
        "win", "new", "customer", "ship", "3", "release", "company", "revenue", "grow"]


def test_chinese_is_segmented_with_jieba_and_mixed_text_keeps_both():
    assert similarity.tokenize("提升华东地区新客户销售额，降低客户流失率") == [
        "提升", "华东地区", "新", "客户", "销售额", "降低", "客户", "流失率"]
    assert similarity.tokenize("年度销售额 (Annual sales)") == ["年度", "销售额", "annual", "sale"]


def test_punctuation_and_empty_text_give_no_terms():
    assert similarity.tokenize("") == []
    assert similarity.tokenize("—, 。！ a") == []


def test_tfidf_vectors_have_unit_length_and_rare_terms_weigh_more():
    vectors = similarity.tfidf_vectors([["sale", "sale", "churn"], ["sale"], []])
    assert round(sum(w * w for w in vectors[0].values()), 9) == 1
    assert vectors[1] == {"sale": 1.0}
    assert vectors[2] == {}
    # "churn" appears in one document of three, "sale" in two: per occurrence it weighs more.
    assert vectors[0]["churn"] > vectors[0]["sale"] / 2


def test_rank_scores_each_candidate_between_0_and_1_in_order():
    scores = similarity.rank("Win new enterprise customers", [
        "Grow revenue from new customers", "Ship the platform", "Win customers"])
    assert [round(s, 4) for s in scores] == [round(scores[0], 4), 0.0, round(scores[2], 4)]
    assert scores[2] > scores[0] > 0
    assert round(similarity.rank("same words", ["same words"])[0], 9) == 1.0
    assert similarity.rank("anything", []) == []


def test_rank_in_chinese():
    scores = similarity.rank("提升华东地区新客户销售额", [
        "提高产品质量，减少缺陷", "扩大华东地区销售额", "招聘工程师"])
    assert scores[0] == 0.0 and scores[2] == 0.0
    assert scores[1] > 0.3


def test_importing_does_not_load_jieba():
    code = ("import sys, tandem.goals.similarity; print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
