//! The report's words in English and Chinese. Every text is a field, so a language
//! cannot miss one: the compiler checks both tables are complete.

use crate::{Error, Result};

/// The language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Parses `en` or `zh` (also `zh-cn`, `zh-hans`, `en-gb`, …; case-insensitive).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `lang` for any other value.
    pub fn parse(text: &str) -> Result<Lang> {
        let t = text.trim().to_ascii_lowercase();
        match t.split(['-', '_']).next() {
            Some("en") => Ok(Lang::En),
            Some("zh") => Ok(Lang::Zh),
            _ => Err(Error::InvalidParameter {
                name: "lang".into(),
                reason: format!("unknown language `{text}`; choose `en` or `zh`"),
            }),
        }
    }

    /// The BCP 47 tag of the page.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
        }
    }

    /// The words of this language.
    pub(super) fn words(self) -> &'static Words {
        match self {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }

    /// `ratio` as a percentage with one decimal, as this language writes it.
    pub(super) fn percent(self, ratio: f64) -> String {
        match self {
            Lang::En => format!("{:.1} %", ratio * 100.0),
            Lang::Zh => format!("{:.1}%", ratio * 100.0),
        }
    }
}

/// Every text of the report in one language.
pub(super) struct Words {
    pub coverage_report: &'static str,
    pub plan_report: &'static str,
    /// `{pct}`, `{covered}`, `{total}`, `{min}` are replaced.
    pub headline: &'static str,
    /// The headline of a distance threshold: `{m}` instead of `{min}`.
    pub headline_m: &'static str,
    /// A distance threshold in words: `{m}` is replaced.
    pub walking_distance: &'static str,
    pub metres: &'static str,
    pub covered_population: &'static str,
    pub total_population: &'static str,
    pub mean_walk: &'static str,
    pub median_walk: &'static str,
    pub gap_count: &'static str,
    pub centers: &'static str,
    pub min: &'static str,
    pub map: &'static str,
    pub map_note: &'static str,
    pub legend_covered: &'static str,
    pub legend_near: &'static str,
    pub legend_beyond: &'static str,
    pub legend_no_walk: &'static str,
    pub legend_center: &'static str,
    pub legend_off_network: &'static str,
    pub legend_gap: &'static str,
    pub legend_new_site: &'static str,
    pub legend_gap_site: &'static str,
    pub coverage: &'static str,
    pub circles: &'static str,
    pub circle_within: &'static str,
    pub population: &'static str,
    pub residents: &'static str,
    pub share: &'static str,
    pub cumulative_share: &'static str,
    pub covered: &'static str,
    pub reachable_beyond: &'static str,
    pub too_far_from_network: &'static str,
    pub no_path: &'static str,
    pub total: &'static str,
    pub walk_time: &'static str,
    pub minutes: &'static str,
    pub no_walk: &'static str,
    pub histogram_note: &'static str,
    pub profiles: &'static str,
    pub profile: &'static str,
    pub speed_kmh: &'static str,
    pub lost_vs_first: &'static str,
    pub tiers: &'static str,
    pub services: &'static str,
    pub tier: &'static str,
    pub service: &'static str,
    pub threshold_min: &'static str,
    pub required: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub complete_coverage: &'static str,
    pub units: &'static str,
    pub unit: &'static str,
    pub outside_units: &'static str,
    pub gaps: &'static str,
    pub gaps_note: &'static str,
    pub rank: &'static str,
    pub longest_walk: &'static str,
    pub location: &'static str,
    pub best_site: &'static str,
    pub newly_covered: &'static str,
    pub more_gaps: &'static str,
    pub center: &'static str,
    pub status: &'static str,
    pub status_ok: &'static str,
    pub status_off_network: &'static str,
    pub served_population: &'static str,
    pub nearest_population: &'static str,
    pub method: &'static str,
    /// `{nodes}`, `{edges}`, `{km}`, `{speed}`, `{threshold}`, `{snap}` are replaced.
    pub method_text: &'static str,
    pub input: &'static str,
    pub source: &'static str,
    pub used: &'static str,
    pub skipped: &'static str,
    pub skipped_reasons: &'static str,
    pub role_roads: &'static str,
    pub role_centers: &'static str,
    pub role_demand: &'static str,
    pub role_units: &'static str,
    pub osm_attribution: &'static str,
    pub made_by: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub change: &'static str,
    pub plan_model: &'static str,
    pub plan_method: &'static str,
    pub new_sites: &'static str,
    pub site: &'static str,
    pub gain: &'static str,
    pub closed_centers: &'static str,
    pub objective: &'static str,
    pub notes: &'static str,
    pub candidates: &'static str,
}

const EN: Words = Words {
    coverage_report: "Walking coverage report",
    plan_report: "New sites: planning report",
    headline: "{pct} of the population ({covered} of {total}) lives within a {min}-minute walk of a service center.",
    headline_m: "{pct} of the population ({covered} of {total}) lives within {m} m walking distance of a service center.",
    walking_distance: "{m} m walking distance",
    metres: "m",
    covered_population: "Covered population",
    total_population: "Population",
    mean_walk: "Mean walk",
    median_walk: "Median walk",
    gap_count: "Gap areas",
    centers: "Centers",
    min: "min",
    map: "Map: walk time over the footpath network",
    map_note: "Each street is coloured by the walk to the nearest center; red areas are the gaps (numbered by population).",
    legend_covered: "within the threshold",
    legend_near: "up to 1.5 × the threshold",
    legend_beyond: "farther",
    legend_no_walk: "no path to a center",
    legend_center: "service center",
    legend_off_network: "center off the network (not used)",
    legend_gap: "gap area",
    legend_new_site: "new site",
    legend_gap_site: "best site to close a gap",
    coverage: "Coverage",
    circles: "Life circles side by side",
    circle_within: "Within",
    population: "Population",
    residents: "Residents",
    share: "Share",
    cumulative_share: "Cumulative share",
    covered: "Covered",
    reachable_beyond: "Reachable but beyond the threshold",
    too_far_from_network: "Too far from the walking network",
    no_path: "No path to any center",
    total: "Total",
    walk_time: "Walk time to the nearest center",
    minutes: "Minutes",
    no_walk: "no walk",
    histogram_note: "Share of the population by walk time (minutes).",
    profiles: "Walking profiles",
    profile: "Profile",
    speed_kmh: "Speed (km/h)",
    lost_vs_first: "Lost against the first profile",
    tiers: "Center tiers",
    services: "Services",
    tier: "Tier",
    service: "Service",
    threshold_min: "Threshold",
    required: "Required",
    yes: "yes",
    no: "no",
    complete_coverage: "Population with every required service in time",
    units: "Reporting units",
    unit: "Unit",
    outside_units: "residents lie outside every reporting unit.",
    gaps: "Largest gaps and the best site to close each",
    gaps_note: "The best site is the place, among the gap's own residents' places, where one new center would newly cover the most population (an exact what-if on the network).",
    rank: "Rank",
    longest_walk: "Longest walk (min)",
    location: "Location (lon, lat)",
    best_site: "Best new site (lon, lat)",
    newly_covered: "It would newly cover",
    more_gaps: "more gaps are in gaps.geojson.",
    center: "Center",
    status: "Status",
    status_ok: "on the network",
    status_off_network: "off the network, not used",
    served_population: "Served within the threshold",
    nearest_population: "Nearest center for",
    method: "Method and inputs",
    method_text: "Walks follow the walking network ({nodes} nodes, {edges} edges, {km} km). Walking speed {speed} km/h; threshold {threshold}; points farther than {snap} m from the network count as unreachable.",
    input: "Input",
    source: "Source",
    used: "Used",
    skipped: "Skipped",
    skipped_reasons: "Skipped, by reason",
    role_roads: "Roads",
    role_centers: "Centers",
    role_demand: "Residents",
    role_units: "Reporting units",
    osm_attribution: "Map data © OpenStreetMap contributors, ODbL 1.0.",
    made_by: "Made by",
    before: "Before",
    after: "After",
    change: "Change",
    plan_model: "Model",
    plan_method: "Method",
    new_sites: "Chosen new sites",
    site: "Site",
    gain: "Population gained",
    closed_centers: "Centers closed",
    objective: "Objective (bound)",
    notes: "Notes",
    candidates: "Candidates",
};

const ZH: Words = Words {
    coverage_report: "步行覆盖评估报告",
    plan_report: "新增设施选址报告",
    headline: "{pct} 的人口（{total} 人中的 {covered} 人）步行 {min} 分钟内可达服务中心。",
    headline_m: "{pct} 的人口（{total} 人中的 {covered} 人）步行距离 {m} 米内可达服务中心。",
    walking_distance: "步行距离 {m} 米",
    metres: "米",
    covered_population: "覆盖人口",
    total_population: "总人口",
    mean_walk: "平均步行时间",
    median_walk: "步行时间中位数",
    gap_count: "覆盖盲区",
    centers: "服务中心",
    min: "分钟",
    map: "地图：步行网络上的步行时间",
    map_note: "每条道路按步行至最近服务中心的时间着色；红色区域为覆盖盲区（按人口编号）。",
    legend_covered: "阈值以内",
    legend_near: "阈值的 1.5 倍以内",
    legend_beyond: "更远",
    legend_no_walk: "无路径可达服务中心",
    legend_center: "服务中心",
    legend_off_network: "远离路网的服务中心（未计入）",
    legend_gap: "覆盖盲区",
    legend_new_site: "新增选址",
    legend_gap_site: "盲区最佳补点",
    coverage: "覆盖情况",
    circles: "各生活圈对比",
    circle_within: "范围",
    population: "人口",
    residents: "居民点",
    share: "占比",
    cumulative_share: "累计占比",
    covered: "已覆盖",
    reachable_beyond: "可达但超出阈值",
    too_far_from_network: "距步行网络过远",
    no_path: "无路径可达任何服务中心",
    total: "合计",
    walk_time: "至最近服务中心的步行时间",
    minutes: "分钟",
    no_walk: "不可达",
    histogram_note: "按步行时间（分钟）统计的人口占比。",
    profiles: "步行人群",
    profile: "人群",
    speed_kmh: "步速（千米/小时）",
    lost_vs_first: "较第一类人群减少",
    tiers: "服务中心层级",
    services: "服务项目",
    tier: "层级",
    service: "服务项目",
    threshold_min: "阈值",
    required: "必需",
    yes: "是",
    no: "否",
    complete_coverage: "全部必需服务均在阈值内可达的人口",
    units: "统计单元",
    unit: "单元",
    outside_units: "个居民点不在任何统计单元内。",
    gaps: "最大覆盖盲区及最佳补点位置",
    gaps_note: "最佳补点是在该盲区居民点中，新增一处服务中心可新覆盖人口最多的位置（基于步行网络的精确测算）。",
    rank: "排名",
    longest_walk: "最长步行（分钟）",
    location: "位置（经度，纬度）",
    best_site: "最佳新增位置（经度，纬度）",
    newly_covered: "可新覆盖人口",
    more_gaps: "个其余盲区见 gaps.geojson。",
    center: "服务中心",
    status: "状态",
    status_ok: "位于路网上",
    status_off_network: "远离路网，未计入",
    served_population: "阈值内服务人口",
    nearest_population: "作为最近中心的人口",
    method: "方法与数据",
    method_text: "步行路径沿步行网络计算（{nodes} 个节点，{edges} 条路段，共 {km} 千米）。步速 {speed} 千米/小时；阈值 {threshold}；距路网超过 {snap} 米的点计为不可达。",
    input: "数据",
    source: "来源",
    used: "采用",
    skipped: "跳过",
    skipped_reasons: "跳过原因",
    role_roads: "道路",
    role_centers: "服务中心",
    role_demand: "居民",
    role_units: "统计单元",
    osm_attribution: "地图数据 © OpenStreetMap 贡献者，ODbL 1.0 许可。",
    made_by: "生成工具",
    before: "规划前",
    after: "规划后",
    change: "变化",
    plan_model: "模型",
    plan_method: "求解方法",
    new_sites: "选定的新增设施",
    site: "选址",
    gain: "新增覆盖人口",
    closed_centers: "关闭的服务中心",
    objective: "目标值（上界）",
    notes: "说明",
    candidates: "候选点",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_and_others_are_refused() {
        assert_eq!(Lang::parse("zh").unwrap(), Lang::Zh);
        assert_eq!(Lang::parse("ZH-CN").unwrap(), Lang::Zh);
        assert_eq!(Lang::parse("en_GB").unwrap(), Lang::En);
        let e = Lang::parse("fr").unwrap_err().to_string();
        assert!(e.contains("lang") && e.contains("fr"), "{e}");
    }

    #[test]
    fn percentages_follow_the_language() {
        assert_eq!(Lang::En.percent(0.9292), "92.9 %");
        assert_eq!(Lang::Zh.percent(0.9292), "92.9%");
    }
}
