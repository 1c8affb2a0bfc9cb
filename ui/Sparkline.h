#pragma once

// A small line chart of one value over a sliding time window (the last minute of a
// message rate), painted directly so a dozen of them cost nothing at ten updates a second.

#include <QWidget>

#include <chrono>
#include <deque>

namespace switchboard {

class Sparkline : public QWidget {
    Q_OBJECT

public:
    using Clock = std::chrono::steady_clock;

    explicit Sparkline(QWidget* parent = nullptr);

    void setTimeSpan(std::chrono::milliseconds span);
    std::chrono::milliseconds timeSpan() const { return m_span; }

    // Samples must arrive in time order; older ones fall out of the time span.
    void addSample(double value, Clock::time_point at = Clock::now());
    void clear();

    int sampleCount() const { return static_cast<int>(m_samples.size()); }
    double peak() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Sample {
        Clock::time_point at;
        double value;
    };

    std::deque<Sample> m_samples;
    std::chrono::milliseconds m_span{60'000};
};

} // namespace switchboard
