/**
 * An ECharts chart drawn as SVG from an option object, with the chart's own ARIA description; the
 * views that use it are loaded lazily, so the library stays out of the first bundle.
 */
import { BarChart, LineChart } from 'echarts/charts'
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'preact/hooks'

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  AriaComponent,
  SVGRenderer,
])

export function Chart({
  label,
  option,
  testId,
}: {
  readonly label: string
  readonly option: Record<string, unknown>
  readonly testId?: string
}) {
  const element = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (element.current === null) {
      return undefined
    }
    const chart = echarts.init(element.current, undefined, { renderer: 'svg' })
    chart.setOption({ aria: { enabled: true }, animation: false, tooltip: {}, ...option })
    return () => chart.dispose()
  }, [option])
  return <div ref={element} class="chart" role="img" aria-label={label} data-testid={testId} />
}
