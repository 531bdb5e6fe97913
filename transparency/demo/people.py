"""Made-up villagers: names, households and valid-looking ID numbers, the same on every run."""

from __future__ import annotations

import random

from transparency.core.personal_data import id_check_digit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
GIVEN = "建国秀英桂兰志强玉梅德华淑珍海燕春生金凤永福秋菊明亮文静红霞小军丽华国庆长青雪梅振华成林翠花家富"
# Region code of the made-up county's residents (a real prefix, so the numbers validate).
REGION = "511321"


class People:
    def __init__(self, seed: str) -> None:
        self.random = random.Random(seed)
        self.used: set[str] = set()

    def name(self) -> str:
        while True:
            given = "".join(self.random.sample(GIVEN, self.random.choice((1, 2))))
            candidate = self.random.choice(SURNAMES) + given
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate

    def id_number(self) -> str:
        year = self.random.randint(1940, 1995)
        month = self.random.randint(1, 12)
        day = self.random.randint(1, 28)
        serial = self.random.randint(100, 999)
        first = f"{REGION}{year:04d}{month:02d}{day:02d}{serial:03d}"
        return first + id_check_digit(first)
