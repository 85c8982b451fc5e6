"""Made-up Chinese names for the synthetic city: communities, grids, people, phones."""

from __future__ import annotations

from patrol.scenario.synth.city import City, Rng

_COMMUNITIES = (
    "幸福里",
    "和平里",
    "建设里",
    "友谊里",
    "光明里",
    "朝阳里",
    "新华里",
    "团结里",
    "春晖里",
    "安居里",
    "长青里",
    "华苑里",
    "丽园里",
    "嘉园里",
    "康乐里",
    "富民里",
)
_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌宁海燕春林凤云亮"


def fake_name(rng: Rng) -> str:
    """A made-up Chinese personal name: a surname and one or two given characters."""
    given = "".join(rng.choice(list(_GIVEN), size=int(rng.choice([1, 2], p=[0.3, 0.7]))))
    return str(rng.choice(list(_SURNAMES))) + given


def fake_phone(rng: Rng) -> str:
    """A masked mobile number (``138****1234``)."""
    prefix = ("138", "139", "135", "136", "137", "150", "158", "186", "188", "133")
    return f"{prefix[int(rng.integers(len(prefix)))]}****{int(rng.integers(0, 10000)):04d}"


def grid_name(city: City, g: int) -> str:
    """Grid ``g``'s name: its community and its number there (``幸福里第一网格``)."""
    beat = city.beat_of_grid[g]
    first = city.beat_of_grid.index(beat)
    n = g - first
    community = community_name(beat)
    return f"{community}第{_NUMERALS[n % 10]}网格" if n < 10 else f"{community}第{n + 1}网格"


def community_name(beat: int) -> str:
    """The community of a beat; past the list, numbered again (``幸福2里``)."""
    base = _COMMUNITIES[beat % len(_COMMUNITIES)]
    rounds = beat // len(_COMMUNITIES)
    return base if rounds == 0 else f"{base[:-1]}{rounds + 1}里"


def fake_surname(rng: Rng) -> str:
    """A common Chinese surname."""
    return str(rng.choice(list(_SURNAMES)))
