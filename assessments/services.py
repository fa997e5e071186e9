"""Business rules of scored assessments: parsing, computing, levels, saving."""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from .models import Assessment, Indicator, IndicatorScore, Instrument, ItaYear, Question, QuestionScore
from .thai import shorten, to_arabic

TOLERANCE = Decimal("0.01")
TWO_PLACES = Decimal("0.01")
_NUMBER = re.compile(r"^\d{1,3}(\.\d+)?$")


class DomainError(Exception):
    """A rule was broken; the message is Thai and meant for the user."""


class ScoreError(DomainError):
    def __init__(self, errors):
        self.errors = errors  # {field label: message}
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def parse_score(raw, *, oit=False) -> Decimal | None:
    """Turn what a user typed (Thai or Arabic digits) into a score; '' means no score.

    Raises DomainError with a Thai message for anything else.
    """
    if raw is None:
        return None
    if isinstance(raw, (int, float, Decimal)):
        text = str(raw)
    else:
        text = to_arabic(str(raw)).strip().replace("\u200b", "")
    if text == "":
        return None
    if not _NUMBER.match(text):
        raise DomainError(f"“{raw}” ไม่ใช่ตัวเลข กรอกคะแนนเป็นตัวเลข 0–100 (เลขไทยหรือเลขอารบิกก็ได้)")
    value = Decimal(text)
    if value > 100:
        raise DomainError(f"คะแนน {raw} เกิน 100")
    if value != value.quantize(TWO_PLACES):
        raise DomainError(f"คะแนน {raw} มีทศนิยมเกิน 2 ตำแหน่ง")
    if oit and value not in (0, 100):
        raise DomainError(f"ข้อ OIT ได้คะแนน 0 หรือ 100 เท่านั้น (กรอก {raw})")
    return value.quantize(TWO_PLACES)


def round2(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _mean(values):
    values = list(values)
    if not values or any(v is None for v in values):
        return None
    return sum(values) / len(values)


def _first(*values):
    return next((v for v in values if v is not None), None)


def level_for(ita_year: ItaYear, score: Decimal | None, instruments: dict | None = None, rules=None) -> str:
    """The label of the first of the year's rules (in order) whose every minimum is reached.

    `instruments` maps "IIT"/"EIT"/"OIT" to the instrument scores; a rule that needs an
    instrument minimum is not reached while that instrument's score is unknown.
    """
    if score is None:
        return ""
    instruments = instruments or {}
    rules = rules if rules is not None else list(ita_year.level_rules.all())
    for rule in sorted(rules, key=lambda r: r.order):
        if score < rule.min_overall:
            continue
        needs = rule.instrument_minimums()
        if all(instruments.get(name) is not None and instruments[name] >= low for name, low in needs.items()):
            return rule.label
    return ""


@dataclass
class Computed:
    indicators: dict = field(default_factory=dict)  # number -> Decimal | None (unrounded)
    instruments: dict = field(default_factory=dict)  # "IIT" -> mean of its indicators (unrounded)
    overall: Decimal | None = None
    discrepancies: list = field(default_factory=list)  # (label, official, computed)


def compute(
    ita_year: ItaYear,
    indicators,
    question_scores: dict,
    official_indicators: dict,
    official_overall,
    official_instruments: dict | None = None,
):
    """Compute what the year's rules allow and compare with the official figures.

    `indicators` are the year's Indicator objects with questions and subindicators
    prefetched; `question_scores` maps code -> Decimal; `official_indicators` maps
    number -> Decimal; `official_instruments` maps "IIT"/"EIT"/"OIT" -> Decimal.
    """
    official_instruments = official_instruments or {}
    result = Computed()
    for ind in indicators:
        value = None
        if ind.method == Indicator.Method.MEAN_QUESTIONS:
            value = _mean(question_scores.get(q.code) for q in ind.questions.all())
        elif ind.method == Indicator.Method.MEAN_SUBINDICATORS:
            by_sub = {}
            for q in ind.questions.all():
                by_sub.setdefault(q.subindicator_id, []).append(question_scores.get(q.code))
            value = _mean(_mean(v) for v in by_sub.values())  # no questions: None
        result.indicators[ind.number] = value
        official = official_indicators.get(ind.number)
        if value is not None and official is not None and abs(official - value) > TOLERANCE:
            result.discrepancies.append((f"ตัวชี้วัดที่ {ind.number}", official, round2(value)))

    # An instrument's score is the mean of its indicators: the official figure where entered
    # (EIT can only be entered), else the computed one.
    for instrument in Instrument.values:
        nums = [i.number for i in indicators if i.instrument == instrument]
        value = _mean(_first(official_indicators.get(n), result.indicators.get(n)) for n in nums)
        result.instruments[instrument] = value
        official = official_instruments.get(instrument)
        if value is not None and official is not None and abs(official - value) > TOLERANCE:
            result.discrepancies.append((f"คะแนน {instrument}", official, round2(value)))

    if ita_year.computes_overall:
        weights = {
            Instrument.IIT: ita_year.weight_iit,
            Instrument.EIT: ita_year.weight_eit,
            Instrument.OIT: ita_year.weight_oit,
        }
        parts = [(w, _first(official_instruments.get(i), result.instruments.get(i))) for i, w in weights.items()]
        if all(v is not None for _, v in parts):
            result.overall = sum(w * v for w, v in parts)
            if official_overall is not None and abs(official_overall - result.overall) > TOLERANCE:
                result.discrepancies.append(("คะแนนภาพรวม", official_overall, round2(result.overall)))
    return result


def year_indicators(ita_year: ItaYear):
    return list(
        Indicator.objects.filter(ita_year=ita_year).prefetch_related("questions", "subindicators").order_by("number")
    )


@dataclass
class ScoreSheet:
    """Everything a page or report needs about an assessment's scores, in a fixed number of queries."""

    assessment: Assessment
    questions: list
    indicators: list
    question_scores: dict
    indicator_scores: dict
    computed: Computed

    @property
    def overall(self):
        return self.assessment.overall_score

    def instrument_rows(self):
        """[(instrument, official, computed rounded)] for the three instruments."""
        official = self.assessment.official_instruments()
        return [(i, official.get(i), round2(self.computed.instruments.get(i))) for i in Instrument.values]

    def instrument_scores(self) -> dict:
        """The instrument scores the level uses: official where entered, else computed."""
        official = self.assessment.official_instruments()
        return {i: _first(official.get(i), round2(self.computed.instruments.get(i))) for i in Instrument.values}

    def weak(self, question: Question) -> bool:
        score = self.question_scores.get(question.code)
        if score is None:
            return False
        if question.is_oit:
            return score == 0
        return score < self.assessment.ita_year.weak_threshold


def score_sheet(assessment: Assessment) -> ScoreSheet:
    ita_year = assessment.ita_year
    indicators = year_indicators(ita_year)
    questions = list(Question.objects.filter(ita_year=ita_year).select_related("indicator", "subindicator"))
    qs = {s.question.code: s.score for s in assessment.question_scores.select_related("question")}
    ins = {s.indicator.number: s.score for s in assessment.indicator_scores.select_related("indicator")}
    computed = compute(ita_year, indicators, qs, ins, assessment.overall_score, assessment.official_instruments())
    return ScoreSheet(assessment, questions, indicators, qs, ins, computed)


def lock_assessment_id(pk) -> None:
    """Take "the assessment lock" by id: every save of what a report prints takes it, and so does
    publishing while it reads a version's data (reports/publication.py), so a version never mixes
    data from before and after a save (PostgreSQL row lock; SQLite runs IMMEDIATE transactions)."""
    list(Assessment.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))


@transaction.atomic
def save_scores(
    assessment: Assessment, *, questions=None, indicators=None, overall=None, overall_given=False, instruments=None
):
    """Validate every value first, then write all or nothing.

    `questions` maps code -> raw text, `indicators` maps number -> raw text, `instruments`
    maps "IIT"/"EIT"/"OIT" -> raw text (only the keys given are changed); an empty value
    removes the score. Returns the number of values changed.
    """
    lock_assessment_id(assessment.pk)
    ita_year = assessment.ita_year
    # Codes are matched whatever their case: 2567 writes o1, 2568 onwards O1.
    catalogue = {q.code.lower(): q for q in Question.objects.filter(ita_year=ita_year)}
    inds = {i.number: i for i in Indicator.objects.filter(ita_year=ita_year)}
    errors, parsed_q, parsed_i = {}, {}, {}
    for code, raw in (questions or {}).items():
        code = str(code).strip().lower()
        question = catalogue.get(code)
        if question is None:
            errors[code] = f"ไม่มีข้อ {code} ใน ITA {ita_year.year}"
            continue
        try:
            parsed_q[question] = parse_score(raw, oit=question.is_oit)
        except DomainError as exc:
            errors[code] = str(exc)
    for number, raw in (indicators or {}).items():
        key = to_arabic(str(number)).strip()
        indicator = inds.get(int(key)) if key.isascii() and key.isdigit() and len(key) <= 3 else None
        if indicator is None:
            errors[f"ตัวชี้วัดที่ {number}"] = "ไม่มีตัวชี้วัดนี้"
            continue
        try:
            parsed_i[indicator] = parse_score(raw)
        except DomainError as exc:
            errors[f"ตัวชี้วัดที่ {number}"] = str(exc)
    parsed_instruments = {}
    for name, raw in (instruments or {}).items():
        key = str(name).strip().upper()
        if key not in Instrument.values:
            errors[str(name)] = "ไม่รู้จักเครื่องมือนี้ (IIT, EIT หรือ OIT)"
            continue
        try:
            parsed_instruments[key] = parse_score(raw)
        except DomainError as exc:
            errors[f"คะแนน {key}"] = str(exc)
    parsed_overall = None
    if overall_given:
        try:
            parsed_overall = parse_score(overall)
        except DomainError as exc:
            errors["คะแนนภาพรวม"] = str(exc)
    if errors:
        raise ScoreError(errors)

    changed = 0
    existing_q = {s.question_id: s for s in assessment.question_scores.all()}
    for question, value in parsed_q.items():
        changed += _apply(QuestionScore, existing_q.get(question.id), value, assessment=assessment, question=question)
    existing_i = {s.indicator_id: s for s in assessment.indicator_scores.all()}
    for indicator, value in parsed_i.items():
        changed += _apply(
            IndicatorScore, existing_i.get(indicator.id), value, assessment=assessment, indicator=indicator
        )
    if overall_given and parsed_overall != assessment.overall_score:
        assessment.overall_score = parsed_overall
        changed += 1
    for key, value in parsed_instruments.items():
        attr = f"{key.lower()}_score"
        if getattr(assessment, attr) != value:
            setattr(assessment, attr, value)
            changed += 1
    refresh_level(assessment)
    return changed


def _apply(model, current, value, **keys):
    if value is None:
        if current is not None:
            current.delete()
            return 1
        return 0
    if current is None:
        model.objects.create(score=value, **keys)
        return 1
    if current.score != value:
        current.score = value
        current.save(update_fields=["score"])
        return 1
    return 0


def refresh_level(assessment: Assessment):
    """Store the level by the year's rules: the official overall score (or the computed one if
    none was entered) and the instrument scores (official, else computed)."""
    sheet = score_sheet(assessment)
    score = assessment.overall_score
    if score is None:
        score = round2(sheet.computed.overall)
    assessment.level = level_for(assessment.ita_year, score, sheet.instrument_scores())
    assessment.save()


def parse_score_table(text: str):
    """Parse 'code score' lines pasted from ITAS or a spreadsheet.

    Returns (values {code: raw}, errors [(line number, message)]). Accepts tabs,
    several spaces, 'ข้อ' prefixes, Thai digits and Thai 'o' look-alikes (๐ for o).
    """
    pasted = read_pasted_scores(text)
    return pasted.values, pasted.errors


@dataclass
class PastedScores:
    values: dict = field(default_factory=dict)  # code -> raw score
    errors: list = field(default_factory=list)  # (line number, Thai message)
    skipped: list = field(default_factory=list)  # header lines left out, as pasted
    duplicates: list = field(default_factory=list)  # (code, [line numbers]) given twice with one score


_HEADER_WORDS = ("ข้อ", "คะแนน", "รหัส", "รายการ", "ตัวชี้วัด", "code", "score", "item")


def read_pasted_scores(text: str) -> PastedScores:
    """The pasted table, line by line: header rows (no number, a column title) are skipped, a
    code given twice with the same score is flagged, with two different scores it is an error."""
    out = PastedScores()
    seen = {}  # code -> (line number, score)
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if not any(ch in _DIGITS for ch in line) and any(w in line.lower() for w in _HEADER_WORDS):
            out.skipped.append(shorten(line, 40))
            continue
        match = _SCORE_CODE.match(line)
        score = _trailing_number(line[match.end() :]) if match else None
        if not score:
            hint = "ต้องเป็น รหัสข้อ ตามด้วยคะแนน เช่น i1 98.70"
            out.errors.append((lineno, f"บรรทัด {lineno}: อ่านไม่ออก “{shorten(line, 40)}” ({hint})"))
            continue
        code = to_arabic(match.group(1).replace(" ", "")).lower()
        if code.startswith("0"):  # "01" typed for "o1" (Thai digits are already Arabic here)
            code = "o" + code[1:]
        if code in seen:
            first_line, first_score = seen[code]
            if to_arabic(first_score) != to_arabic(score):
                out.errors.append(
                    (
                        lineno,
                        f"บรรทัด {lineno}: ข้อ {code} ซ้ำกับบรรทัด {first_line} แต่คะแนนต่างกัน ({first_score} กับ {score})",
                    )
                )
            else:
                out.duplicates.append((code, [first_line, lineno]))
            continue
        seen[code] = (lineno, score)
        out.values[code] = score
    return out


# The code at the start of a pasted line; the score is read from the end of the line without a
# regular expression, so that a long line costs linear time (a `.*?(number)$` pattern backtracks
# quadratically on a 20,000-character line).
_SCORE_CODE = re.compile(r"(?:ข้อ\s*)?([ieoIEO๐0]\s*[0-9๐-๙]{1,2})(?![0-9๐-๙.])")
_DIGITS = frozenset("0123456789๐๑๒๓๔๕๖๗๘๙")


def _trailing_number(tail: str) -> str:
    """The number that ends `tail` ("98.70" of " x 98.70"), or "" where it ends otherwise."""
    end = len(tail.rstrip())
    start = end
    while start and (tail[start - 1] in _DIGITS or tail[start - 1] == "."):
        start -= 1
    run = tail[start:end]
    if not run or run[-1] == ".":
        return ""
    last_dot = run.rfind(".")
    if last_dot < 0:
        return run
    before = run[:last_dot]
    whole = len(before) - len(before.rstrip("0123456789๐๑๒๓๔๕๖๗๘๙"))  # digits just before the dot
    return run[last_dot - whole :] if whole else run[last_dot + 1 :]


_SUMMARY_LINE = re.compile(
    r"^\s*(IIT|EIT|OIT|คะแนนรวม|คะแนนภาพรวม|ภาพรวม|รวม|overall)\s*[:：]?\s*([0-9๐-๙]{1,3}(?:\.[0-9๐-๙]{1,4})?)\s*$",
    re.IGNORECASE,
)


def split_summary_lines(text: str):
    """Take the overall and instrument lines ("คะแนนรวม 86.63", "IIT\\t95.19") out of a pasted
    table. Returns ({"overall"|"IIT"|"EIT"|"OIT": raw}, the remaining text)."""
    summary, rest = {}, []
    for line in text.splitlines():
        match = len(line) <= 200 and _SUMMARY_LINE.match(line)  # a long pasted line is never a summary
        if match:
            name = match.group(1).upper()
            summary[name if name in Instrument.values else "overall"] = match.group(2)
        else:
            rest.append(line)
    return summary, "\n".join(rest)
