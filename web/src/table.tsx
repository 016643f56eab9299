/**
 * A table that sorts by any column (click or Enter/Space on its header) and filters its rows by
 * the text of their cells. Columns say how to show a row and what to sort it by.
 */
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'

import { instantText } from './format'

export interface Column<Row> {
  readonly title: string
  /** What the cell shows; without it, the value itself. */
  readonly cell?: (row: Row) => ComponentChildren
  /** The value sorted on and filtered by. */
  readonly value: (row: Row) => string | number | null
}

/**
 * A column of instants: sorted by the instant (ISO 8601 in UTC sorts as time does), shown in the
 * viewer's zone with the lead's zone beside it.
 */
export function instantColumn<Row>(
  title: string,
  instantOf: (row: Row) => string | null,
  leadZone: string,
): Column<Row> {
  return { title, value: instantOf, cell: (row) => instantText(instantOf(row), leadZone) }
}

interface TableProps<Row> {
  /** The table's accessible name, also the filter's label. */
  readonly caption: string
  // The rows alone say what a row is; the columns are checked against them.
  readonly columns: readonly Column<NoInfer<Row>>[]
  readonly rows: readonly Row[]
  readonly rowKey: (row: Row) => string
  readonly empty: string
  readonly testId?: string
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) {
    return 0
  }
  if (a === null) {
    return 1
  }
  if (b === null) {
    return -1
  }
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))
}

export function Table<Row>({ caption, columns, rows, rowKey, empty, testId }: TableProps<Row>) {
  const [sortBy, setSortBy] = useState<{ column: number; descending: boolean } | null>(null)
  const [filter, setFilter] = useState('')
  const needle = filter.trim().toLowerCase()
  const shown = rows.filter(
    (row) =>
      needle === '' ||
      columns.some((column) =>
        String(column.value(row) ?? '')
          .toLowerCase()
          .includes(needle),
      ),
  )
  const sorted =
    sortBy === null
      ? shown
      : [...shown].sort((a, b) => {
          const column = columns[sortBy.column]
          const order = column === undefined ? 0 : compare(column.value(a), column.value(b))
          return sortBy.descending ? -order : order
        })
  const sortOn = (index: number) =>
    setSortBy((current) => ({
      column: index,
      descending: current?.column === index ? !current.descending : false,
    }))
  return (
    <div class="table-block">
      <label class="filter">
        Filter {caption.toLowerCase()}
        <input
          type="search"
          value={filter}
          onInput={(event) => setFilter(event.currentTarget.value)}
        />
      </label>
      <table data-testid={testId}>
        <caption>
          {caption} (
          {sorted.length === rows.length ? rows.length : `${sorted.length} of ${rows.length}`})
        </caption>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th
                key={column.title}
                scope="col"
                aria-sort={
                  sortBy?.column === index
                    ? sortBy.descending
                      ? 'descending'
                      : 'ascending'
                    : 'none'
                }
              >
                <button type="button" class="sort" onClick={() => sortOn(index)}>
                  {column.title}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.length === 0 ? (
            <tr>
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          ) : (
            sorted.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.title}>{(column.cell ?? column.value)(row)}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  )
}
