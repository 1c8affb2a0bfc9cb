# The sample entity files (SPEC §6.1), included by server/CMakeLists.txt: embedded in the hub
# as :/entities/... (--demo copies them into an empty entities dir) and installed to
# share/switchboard/entities for reference. A new sample is added to the list below.

include(GNUInstallDirs)

set(switchboard_sample_entities_dir ${CMAKE_CURRENT_LIST_DIR})
set(switchboard_sample_entities
    revenue/investments/seed_round.yaml
    revenue/grants/nsf_sbir_phase1.yaml
    revenue/grants/state_innovation_grant.yaml
    revenue/sales/pilot_units.yaml
    revenue/services/acme_support_contract.yaml
    revenue/services/monitoring_subscriptions.yaml
    expenses/employees/ceo.yaml
    expenses/employees/cto.yaml
    expenses/employees/senior_engineer.yaml
    expenses/employees/hardware_engineer.yaml
    expenses/employees/sales_lead.yaml
    expenses/employees/support_engineer.yaml
    expenses/facilities/office_lease.yaml
    expenses/software/cloud_hosting.yaml
    expenses/software/saas_tools.yaml
    expenses/equipment/developer_hardware.yaml
    expenses/equipment/test_rig.yaml
)

# Embeds the samples in `target` and installs them with the server component (the console
# has them embedded too; installing them twice would make the two packages conflict).
function(switchboard_add_sample_entities target)
    set(files ${switchboard_sample_entities})
    list(TRANSFORM files PREPEND ${switchboard_sample_entities_dir}/)
    qt_add_resources(${target} switchboard_sample_entities
        PREFIX /entities
        BASE ${switchboard_sample_entities_dir}
        FILES ${files})
    foreach(file IN LISTS switchboard_sample_entities)
        get_filename_component(folder ${file} DIRECTORY)
        install(FILES ${switchboard_sample_entities_dir}/${file}
            DESTINATION ${CMAKE_INSTALL_DATADIR}/switchboard/entities/${folder}
            COMPONENT server)
    endforeach()
endfunction()
