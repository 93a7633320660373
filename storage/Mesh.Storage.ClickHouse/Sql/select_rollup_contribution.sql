SELECT count() AS n FROM {rollup_contributions} WHERE id = {id} FORMAT JSONEachRow
