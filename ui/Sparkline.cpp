#include "Sparkline.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace switchboard {

Sparkline::Sparkline(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void Sparkline::setTimeSpan(std::chrono::milliseconds span)
{
    m_span = span;
    update();
}

void Sparkline::addSample(double value, Clock::time_point at)
{
    m_samples.push_back({at, std::max(value, 0.0)});
    // Keep one sample older than the span so the line enters from the left edge.
    while (m_samples.size() > 2 && m_samples[1].at < at - m_span)
        m_samples.pop_front();
    update();
}

void Sparkline::clear()
{
    m_samples.clear();
    update();
}

double Sparkline::peak() const
{
    double result = 0;
    for (const Sample& sample : m_samples)
        result = std::max(result, sample.value);
    return result;
}

QSize Sparkline::sizeHint() const
{
    return {200, 40};
}

QSize Sparkline::minimumSizeHint() const
{
    return {60, 28};
}

void Sparkline::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);

    const QRectF frame = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const QColor accent = palette().color(QPalette::Highlight);
    const QColor background = palette().color(QPalette::Base);
    painter.setPen(QPen(palette().color(QPalette::Midlight), 1));
    painter.setBrush(background);
    painter.drawRoundedRect(frame, 3, 3);

    if (m_samples.empty())
        return;

    const QRectF plot = frame.adjusted(2, 4, -2, -2);
    // The newest sample sits on the right edge: the chart moves with the data it is given,
    // so a hub that stops reporting freezes the line instead of drawing made-up zeros.
    const Clock::time_point newest = m_samples.back().at;
    const double spanMs = static_cast<double>(m_span.count());
    const double top = std::max(peak() * 1.15, 1.0);

    auto pointFor = [&](const Sample& sample) {
        const double age = std::chrono::duration<double, std::milli>(newest - sample.at).count();
        const double x = plot.right() - std::min(age, spanMs) / spanMs * plot.width();
        const double y = plot.bottom() - sample.value / top * plot.height();
        return QPointF(x, y);
    };

    QPainterPath line;
    line.moveTo(pointFor(m_samples.front()));
    for (auto it = std::next(m_samples.begin()); it != m_samples.end(); ++it)
        line.lineTo(pointFor(*it));

    QPainterPath area = line;
    area.lineTo(pointFor(m_samples.back()).x(), plot.bottom());
    area.lineTo(pointFor(m_samples.front()).x(), plot.bottom());
    area.closeSubpath();

    QColor fill = accent;
    fill.setAlpha(48);
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    painter.drawPath(area);

    painter.setPen(QPen(accent, 1.5));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(line);
}

} // namespace switchboard
