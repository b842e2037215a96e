// i18n.js — Chinese first, English on request (the choice is kept in localStorage).
const dict = {
  title: ['盘锦市生态环境局 · 智慧环保平台', 'Panjin Ecological Environment Bureau · envgov'],
  public_title: ['盘锦市生态环境信息公开', 'Panjin environmental information disclosure'],
  login: ['登录', 'Log in'], logout: ['退出', 'Log out'], username: ['用户名', 'Account'],
  password: ['密码', 'Password'], login_failed: ['用户名或密码错误', 'Wrong account or password'],
  login_limited: ['失败次数过多，请稍后再试', 'Too many failures; try again later'],
  nav_home: ['首页', 'Home'], nav_air: ['大气', 'Air'], nav_water: ['水环境', 'Water'],
  nav_work: ['工作任务', 'Work'], nav_enterprise: ['一企一档', 'Enterprises'],
  nav_devices: ['设备与数据', 'Devices'], nav_public: ['信息公开', 'Public disclosure'],
  aqi_now: ['实时空气质量', 'Air quality now'], aqi: ['AQI', 'AQI'], level: ['级别', 'Level'],
  category: ['类别', 'Category'], primary: ['首要污染物', 'Primary pollutant'], time: ['时间', 'Time'],
  station: ['站点', 'Station'], station_name: ['站点名称', 'Station name'], city: ['城市', 'City'],
  stations_map: ['站点分布（按AQI着色）', 'Stations, coloured by AQI'],
  last24: ['近24小时AQI', 'AQI, last 24 hours'], last30: ['近30天日AQI', 'Daily AQI, last 30 days'],
  warning: ['重污染预警', 'Heavy-pollution warning'],
  warning_none: ['无预报数据，未发布预警', 'No forecast on file; no warning issued'],
  devices_offline: ['离线设备', 'Devices offline'], alarms: ['报警', 'Alarms'],
  overdue: ['逾期任务', 'Overdue work'],
  api_coming: ['该模块的接口正在建设中，数据接入后在此显示。', 'The API for this module is coming; its data will show here.'],
  stations_now: ['各站点实时数据', 'Stations now'],
  export_csv: ['导出CSV', 'Export CSV'], export_xlsx: ['导出Excel', 'Export Excel'],
  no_data: ['暂无数据', 'No data'], year: ['年份', 'Year'],
  calendar: ['日AQI日历', 'Daily AQI calendar'],
  annual: ['年度指标', 'Annual indicators'], indicator: ['指标', 'Indicator'], value: ['数值', 'Value'],
  multiple: ['超二级标准倍数', 'Times the Grade II limit'], attained: ['达标', 'Attained'],
  good_ratio: ['优良天数比例(%)', 'Good-day ratio (%)'], good_days: ['优良天数', 'Good days'],
  valid_days: ['有效天数', 'Valid days'], composite: ['综合指数', 'Composite index'],
  composite_change: ['综合指数同比变化(%)', 'Composite index, change on a year (%)'],
  rank: ['排名', 'Rank'], rank_title: ['全省城市排名', "Ranking of the province's cities"],
  pm25_rank: ['PM2.5排名', 'PM2.5 rank'], good_rank: ['优良比例排名', 'Good-ratio rank'],
  target: ['考核目标', 'Targets'], target_none: ['目标值尚未配置（接口建设中）', 'No targets configured yet (API coming)'],
  limits: ['评价标准', 'Limits'], yes: ['是', 'yes'], no: ['否', 'no'],
  water_title: ['水环境断面', 'Water sections'], work_title: ['工作任务看板', 'Work boards'],
  enterprise_title: ['一企一档', 'Enterprise files'], devices_title: ['设备与数据', 'Devices and data'],
  credit: ['企业环境信用评价结果', 'Environmental credit ratings'],
  draws: ['双随机抽查结果', 'Double-random inspection results'],
  penalties: ['行政处罚', 'Penalties'], water_public: ['水环境质量', 'Water quality'],
  station_detail: ['站点详情', 'Station detail'], close: ['关闭', 'Close'],
  hourly: ['小时值', 'Hourly values'], updated: ['数据时间', 'Data time'],
  provisional: ['实时数据为未经审核的原始数据', 'Real-time data are provisional (not yet audited)'],
};

export function lang() {
  const v = localStorage.getItem('envgov-lang');
  return v === 'en' ? 'en' : 'zh';
}
export function setLang(v) { localStorage.setItem('envgov-lang', v); }
export function t(key) {
  const e = dict[key];
  return e ? e[lang() === 'en' ? 1 : 0] : key;
}
export function applyI18n(root = document) {
  document.documentElement.lang = lang() === 'en' ? 'en' : 'zh-CN';
  for (const n of root.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
}
