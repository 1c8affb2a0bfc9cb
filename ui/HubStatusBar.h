#pragma once

// The main window's status bar: where the hub listens, and the latest error in plain sight
// until the operator dismisses it.

#include "monitor/HubSnapshot.h"

#include <QStatusBar>

class QLabel;

namespace switchboard {

class HubHost;

class HubStatusBar : public QStatusBar {
    Q_OBJECT

public:
    explicit HubStatusBar(HubHost& host, QWidget* parent = nullptr);

    QString errorText() const;

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);
    void showError(const QString& message);
    void clearError();

private:
    QLabel* m_address = nullptr;
    QWidget* m_error = nullptr;
    QLabel* m_errorText = nullptr;
};

} // namespace switchboard
