// config.js — the demo city's province, for the ranking of its cities (Liaoning's 14 cities).
export const PROVINCE_CITIES = ['沈阳', '大连', '鞍山', '抚顺', '本溪', '丹东', '锦州', '营口', '阜新', '辽阳', '盘锦', '铁岭', '朝阳', '葫芦岛'];
