"""The closed vocabularies of the curated files (data/README.md explains them)."""

MEASURES = ("level", "growth", "share", "gap", "rank", "rank_from_bottom", "rank_change", "grade",
            "count", "multiple", "ratio", "year")
BASES = ("actual", "plan", "target", "expected", "inferred")
TOPICS = ("economy", "clusters", "projects", "trade", "party_services",
          "benchmarks", "targets", "history")
QUALIFIERS = ("", "以上", "余", "超", "接近", "近", "约", "预计", "不足", "突破", "不低于")
ENTITY_KINDS = ("zone", "city", "peer_zone", "park_group", "enterprise", "project", "cluster",
                "building", "mechanism", "brand", "policy", "livelihood", "program",
                "region", "award", "list", "authority", "other")
SOURCE_KINDS = ("report", "speech", "press", "bulletin", "table", "other")  # what the import form offers
PROJECT_STATUSES = ("推进中", "在建", "已竣工投产", "未注明")
INDUSTRIES = ("新能源及高端装备", "生物食品医药", "金属精深加工", "现代服务业", "未注明")

FIGURE_COLUMNS = ("figure_id", "source_id", "quote", "value_text", "value", "unit",
                  "qualifier", "entity", "indicator", "measure", "basis", "period",
                  "topic", "rank_total", "note")
# Columns that may be left empty; every other column is required.
FIGURE_OPTIONAL = ("qualifier", "rank_total", "note")
